/* Every function of kaleyra_verify.h against the emulator (started from C) and a canned
 * server: the success paths, every check outcome, every status a call can return, NULL,
 * bad UTF-8 and over-long arguments, and the API key absent from every message. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kaleyra_verify.h"
#include "canned.h"
#include "check.h"

#define SECRET_KEY "secret-key-that-must-never-leak"

static kv_emulator *emu;
static int seen[256]; /* statuses observed, to prove every one is reachable */

/* Checks a call's status and its error's invariants, records its status and frees it; returns the status. */
static kv_status expect(kv_status got, kv_error **errp, kv_status want, const char *code) {
    kv_error *err = *errp; /* read after the call: C leaves argument order unspecified */
    CHECK(got == want);
    if (got != want) {
        fprintf(stderr, "  got %s (%s), want %s\n", kv_status_name(got),
                err ? kv_error_message(err) : "no error", kv_status_name(want));
    }
    if (want != KV_STATUS_OK) {
        CHECK(err != NULL);
        if (err == NULL) return got;
        CHECK(kv_error_kind(err) == got);
        CHECK(kv_error_message(err) != NULL && strlen(kv_error_message(err)) > 0);
        CHECK(strstr(kv_error_message(err), SECRET_KEY) == NULL);
        CHECK(strstr(kv_error_message(err), kv_emulator_api_key(emu)) == NULL);
        if (code != NULL) {
            CHECK_STR(kv_error_code(err), code);
            /* the numeric id: the code's digits, or KV_CODE_OTHER for one no table knows */
            CHECK(kv_error_code_id(err) ==
                  (strcmp(code, "E999") == 0 ? KV_CODE_OTHER : (kv_code)atoi(code + 1)));
        }
        if (got < 256) seen[got] = 1;
    } else {
        CHECK(err == NULL);
    }
    kv_error_free(err);
    *errp = NULL;
    return got;
}

/* For calls made with error_out = NULL: only the status. */
static void expect_status(kv_status got, kv_status want) {
    CHECK(got == want);
    if (got < 256) seen[got] = 1;
}

static kv_client *client_for(const char *base_url, const char *key, double attempts,
                             double timeout_ms) {
    kv_client_options o;
    kv_client *client = NULL;
    kv_error *err = NULL;
    memset(&o, 0, sizeof o);
    o.sid = kv_emulator_sid(emu);
    o.api_key = key;
    o.base_url = base_url;
    o.max_attempts = &attempts;
    o.timeout_ms = &timeout_ms;
    expect(kv_client_new(&o, &client, &err), &err, KV_STATUS_OK, NULL);
    return client;
}

static char *generate_id(kv_client *client) {
    kv_generate_request req = {"+12025550123", NULL, NULL, NULL};
    kv_generated *g = NULL;
    kv_error *err = NULL;
    char *id;
    expect(kv_client_generate(client, &req, &g, &err), &err, KV_STATUS_OK, NULL);
    id = strdup(g ? kv_generated_verify_id(g) : "none");
    kv_generated_free(g);
    return id;
}

static char *code_of(const char *id) {
    char *code = NULL;
    kv_error *err = NULL;
    expect(kv_emulator_last_code(emu, id, &code, &err), &err, KV_STATUS_OK, NULL);
    return code;
}

static kv_check_outcome check_once(kv_client *c, const char *id, const char *otp) {
    kv_check_outcome out = 0;
    kv_error *err = NULL;
    expect(kv_client_check(c, id, otp, &out, &err), &err, KV_STATUS_OK, NULL);
    return out;
}

static void test_tables(void) {
    size_t i, n = kv_code_count();
    int found_e912 = 0;
    CHECK(kv_version() != NULL && strlen(kv_version()) > 0);
    CHECK_STR(kv_status_name(KV_STATUS_OK), "ok");
    CHECK_STR(kv_status_name(KV_STATUS_RATE_LIMITED), "rate_limited");
    CHECK_STR(kv_status_class_name(KV_STATUS_TIMEOUT), "RequestTimeoutError");
    CHECK_STR(kv_status_name(KV_STATUS_INVALID_ARGUMENT), "invalid_argument");
    CHECK(kv_status_description(KV_STATUS_OUTCOME_UNKNOWN) != NULL);
    CHECK(kv_status_name(99) == NULL && kv_status_description(99) == NULL);
    CHECK(KV_STATUS_VALIDATION == 1 && KV_STATUS_INTERNAL == 16);
    CHECK_STR(kv_check_outcome_name(KV_CHECK_OUTCOME_VERIFIED), "verified");
    CHECK_STR(kv_check_outcome_name(KV_CHECK_OUTCOME_TOO_MANY_ATTEMPTS), "too_many_attempts");
    CHECK(kv_check_outcome_name(0) == NULL);
    CHECK(n >= 20);
    for (i = 0; i < n; i++) {
        const kv_code_info *info = kv_code_at(i);
        CHECK(info != NULL && info->code[0] == 'E' && info->meaning != NULL);
        CHECK(info != NULL && kv_status_name(info->kind) != NULL && info->http_status >= 400);
        CHECK(info != NULL && info->id == (kv_code)atoi(info->code + 1));
        if (info != NULL && info->id == KV_CODE_E912) {
            found_e912 = 1;
            CHECK_STR(info->code, "E912");
            CHECK(info->kind == KV_STATUS_OTP_REJECTED);
            CHECK_STR(info->parameter, "otp");
        }
    }
    CHECK(found_e912);
    CHECK(kv_code_at(n) == NULL);
}

static void test_flow(kv_client *c) {
    kv_generate_request req = {"+12025550123", "user@example.com", NULL, NULL};
    kv_generated *g = NULL;
    kv_validated *v = NULL;
    kv_error *err = NULL;
    char *code, *id;
    char wrong[16];

    expect(kv_client_generate(c, &req, &g, &err), &err, KV_STATUS_OK, NULL);
    CHECK(g != NULL && strlen(kv_generated_verify_id(g)) > 0);
    CHECK_STR(kv_generated_mobile(g), "12025550123");
    CHECK_STR(kv_generated_email(g), "user@example.com");
    CHECK(kv_generated_flow_id(g) != NULL);
    code = code_of(kv_generated_verify_id(g));
    CHECK(code != NULL && strlen(code) == 6);
    expect(kv_client_validate(c, kv_generated_verify_id(g), code, &v, &err), &err, KV_STATUS_OK,
           NULL);
    CHECK_STR(kv_validated_verify_id(v), kv_generated_verify_id(g));
    CHECK(kv_validated_message(v) != NULL && strlen(kv_validated_message(v)) > 0);
    CHECK(!kv_validated_after_lost_attempt(v));
    kv_validated_free(v);
    /* The same code again: already verified, as an outcome and as an error. */
    CHECK(check_once(c, kv_generated_verify_id(g), code) == KV_CHECK_OUTCOME_ALREADY_VERIFIED);
    expect(kv_client_validate(c, kv_generated_verify_id(g), code, &v, &err), &err,
           KV_STATUS_OTP_REJECTED, "E910");
    CHECK(v == NULL);
    kv_string_free(code);
    kv_generated_free(g);

    /* verified, wrong code, then out of attempts */
    id = generate_id(c);
    code = code_of(id);
    strcpy(wrong, code);
    wrong[0] = wrong[0] == '1' ? '2' : '1';
    CHECK(check_once(c, id, wrong) == KV_CHECK_OUTCOME_WRONG_CODE);
    CHECK(check_once(c, id, code) == KV_CHECK_OUTCOME_VERIFIED);
    kv_string_free(code);
    free(id);
    id = generate_id(c);
    {
        int i;
        kv_check_outcome last = 0;
        for (i = 0; i < 6 && last != KV_CHECK_OUTCOME_TOO_MANY_ATTEMPTS; i++)
            last = check_once(c, id, "000000x");
        CHECK(last == KV_CHECK_OUTCOME_TOO_MANY_ATTEMPTS);
    }
    free(id);
    /* expired: the emulator's clock moves past the default flow's ten minutes */
    id = generate_id(c);
    code = code_of(id);
    expect(kv_emulator_advance_clock(emu, 601000, &err), &err, KV_STATUS_OK, NULL);
    CHECK(check_once(c, id, code) == KV_CHECK_OUTCOME_EXPIRED);
    kv_string_free(code);
    free(id);
    CHECK(check_once(c, "no-such-verification", "123456") == KV_CHECK_OUTCOME_NOT_FOUND);
    /* no code for an unknown id */
    code = (char *)1;
    expect(kv_emulator_last_code(emu, "no-such-verification", &code, &err), &err,
           KV_STATUS_NOT_FOUND, NULL);
    CHECK(code == NULL);
}

static void test_env(void) {
    kv_client *c = NULL;
    kv_error *err = NULL;
    char *id;
    setenv("KALEYRA_SID", kv_emulator_sid(emu), 1);
    setenv("KALEYRA_API_KEY", kv_emulator_api_key(emu), 1);
    setenv("KALEYRA_BASE_URL", kv_emulator_base_url(emu), 1);
    expect(kv_client_new_from_env(&c, &err), &err, KV_STATUS_OK, NULL);
    id = generate_id(c);
    CHECK(strlen(id) > 0);
    free(id);
    kv_client_free(c);
    unsetenv("KALEYRA_API_KEY");
    c = (kv_client *)1;
    expect(kv_client_new_from_env(&c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    CHECK(c == NULL);
    unsetenv("KALEYRA_SID");
    unsetenv("KALEYRA_BASE_URL");
}

/* The client from JSON options, and the emulator's counters and outbox as JSON. */
static void test_json(void) {
    char json[512], *out = NULL;
    kv_client *c = NULL;
    kv_error *err = NULL;
    char *id;
    snprintf(json, sizeof json,
             "{\"sid\": \"%s\", \"api_key\": \"%s\", \"base_url\": \"%s\", \"timeout_ms\": 5000}",
             kv_emulator_sid(emu), kv_emulator_api_key(emu), kv_emulator_base_url(emu));
    expect(kv_client_new_json(json, &c, &err), &err, KV_STATUS_OK, NULL);
    id = generate_id(c);
    expect(kv_emulator_outbox_json(emu, id, &out, &err), &err, KV_STATUS_OK, NULL);
    CHECK(out != NULL && strstr(out, id) != NULL && strstr(out, "\"channel\":\"sms\"") != NULL);
    kv_string_free(out);
    expect(kv_emulator_outbox_json(emu, NULL, &out, &err), &err, KV_STATUS_OK, NULL);
    CHECK(out != NULL && out[0] == '[');
    kv_string_free(out);
    expect(kv_emulator_stats_json(emu, &out, &err), &err, KV_STATUS_OK, NULL);
    CHECK(out != NULL && strstr(out, "\"otps_generated\"") != NULL);
    kv_string_free(out);
    free(id);
    kv_client_free(c);
    c = (kv_client *)1;
    expect(kv_client_new_json("{\"sid\": \"HX1\", \"colour\": \"red\"}", &c, &err), &err,
           KV_STATUS_INVALID_CONFIG, NULL);
    CHECK(c == NULL);
    expect(kv_client_new_json("{not json", &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    expect(kv_client_new_json(NULL, &c, &err), &err, KV_STATUS_INVALID_ARGUMENT, NULL);
    expect(kv_emulator_stats_json(NULL, &out, &err), &err, KV_STATUS_INVALID_ARGUMENT, NULL);
    expect(kv_emulator_stats_json(emu, NULL, &err), &err, KV_STATUS_INVALID_ARGUMENT, NULL);
    expect(kv_emulator_outbox_json(emu, "\xff", &out, &err), &err, KV_STATUS_INVALID_ARGUMENT, NULL);
}

/* The header says a client works in a child after fork(): the child uses the parent's. */
static void test_fork(kv_client *c) {
    int status = -1;
    pid_t pid;
    char *before;
    if (getenv("KV_TEST_SKIP_FORK") != NULL) {
        /* valgrind checks the child's leaks at its exit, where verify-http abandons the
         * parent's runtime on purpose (its threads are not in the child) */
        printf("test_fork: NOT RUN (KV_TEST_SKIP_FORK)\n");
        return;
    }
    before = generate_id(c); /* the parent's pool and runtime are in use */
    free(before);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        kv_generate_request req = {"+12025550123", NULL, NULL, NULL};
        kv_generated *g = NULL;
        kv_status s = kv_client_generate(c, &req, &g, NULL);
        kv_generated_free(g);
        _exit(s == KV_STATUS_OK ? 0 : 10 + (int)s);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fprintf(stderr, "  child: %d\n", status);
    before = generate_id(c); /* and the parent goes on */
    CHECK(strlen(before) > 0);
    free(before);
}

static void test_error_kinds(kv_client *c) {
    kv_generate_request bad = {"+12", NULL, NULL, NULL};
    kv_generate_request none = {NULL, NULL, NULL, NULL};
    kv_generate_request email_only = {NULL, "user@example.com", NULL, NULL};
    kv_generate_request flow = {"+12025550123", NULL, "00000000-0000-4000-8000-000000000000", NULL};
    kv_generate_request ok = {"+12025550123", NULL, NULL, NULL};
    kv_generated *g = NULL;
    kv_validated *v = NULL;
    kv_error *err = NULL;
    kv_client *other;
    char url[64];
    canned srv;
    uint64_t ms = 0;

    /* validation, locally: nothing is sent, so there is no HTTP status */
    expect(kv_client_generate(c, &bad, &g, &err), &err, KV_STATUS_VALIDATION, "E805");
    expect_status(kv_client_generate(c, &bad, &g, NULL), KV_STATUS_VALIDATION);
    kv_client_generate(c, &none, &g, &err);
    CHECK_STR(kv_error_parameter(err), "to");
    CHECK(kv_error_http_status(err) == 0 && !kv_error_is_retryable(err));
    expect(kv_error_kind(err), &err, KV_STATUS_VALIDATION, "E600");
    kv_client_generate(c, &email_only, &g, &err);
    CHECK_STR(kv_error_parameter(err), "mobile");
    expect(kv_error_kind(err), &err, KV_STATUS_VALIDATION, "E804");
    /* configuration: a flow the account does not have */
    expect(kv_client_generate(c, &flow, &g, &err), &err, KV_STATUS_CONFIGURATION, "E905");
    /* authentication */
    other = client_for(kv_emulator_base_url(emu), SECRET_KEY, 1, 10000);
    kv_client_generate(other, &ok, &g, &err);
    CHECK(kv_error_http_status(err) == 401);
    expect(kv_error_kind(err), &err, KV_STATUS_AUTHENTICATION, "E401");
    kv_client_free(other);
    /* not found, and a rejected code, as errors */
    kv_client_validate(c, "no-such-verification", "123456", &v, &err);
    CHECK(kv_error_http_status(err) == 404);
    expect(kv_error_kind(err), &err, KV_STATUS_NOT_FOUND, "E909");
    {
        char *id = generate_id(c);
        kv_client_validate(c, id, "999999x", &v, &err);
        CHECK(kv_error_type(err) != NULL && kv_error_service_message(err) != NULL);
        CHECK(kv_error_reference(err) != NULL || kv_error_reference(err) == NULL);
        expect(kv_error_kind(err), &err, KV_STATUS_OTP_REJECTED, "E912");
        free(id);
    }
    /* rate limited, with Retry-After; server failure; both with one attempt only */
    other = client_for(kv_emulator_base_url(emu), kv_emulator_api_key(emu), 1, 10000);
    expect(kv_emulator_inject(emu, "{\"mode\":\"rate_limit\",\"retry_after\":2}", &err), &err,
           KV_STATUS_OK, NULL);
    kv_client_validate(other, "some-id", "123456", &v, &err);
    CHECK(kv_error_retry_after_ms(err, &ms) && ms == 2000);
    CHECK(kv_error_retry_after_ms(err, NULL));
    CHECK(kv_error_is_retryable(err) && kv_error_http_status(err) == 429);
    expect(kv_error_kind(err), &err, KV_STATUS_RATE_LIMITED, "E429");
    expect(kv_emulator_inject(emu, "{\"mode\":\"status\",\"status\":500}", &err), &err,
           KV_STATUS_OK, NULL);
    kv_client_validate(other, "some-id", "123456", &v, &err);
    CHECK(!kv_error_retry_after_ms(err, &ms));
    expect(kv_error_kind(err), &err, KV_STATUS_SERVER, "E500");
    /* transport: the answer is lost after the request took effect */
    expect(kv_emulator_inject(emu, "{\"mode\":\"close_after\"}", &err), &err, KV_STATUS_OK, NULL);
    expect(kv_client_validate(other, "some-id", "123456", &v, &err), &err, KV_STATUS_TRANSPORT,
           NULL);
    /* outcome unknown: a generate whose answer is lost is never re-sent */
    expect(kv_emulator_inject(emu, "{\"mode\":\"close_after\"}", &err), &err, KV_STATUS_OK, NULL);
    kv_client_generate(c, &ok, &g, &err);
    CHECK(g == NULL && kv_error_cause_kind(err) != KV_STATUS_OK);
    expect(kv_error_kind(err), &err, KV_STATUS_OUTCOME_UNKNOWN, NULL);
    kv_client_free(other);
    /* timeout: a slow answer and a short total timeout */
    other = client_for(kv_emulator_base_url(emu), kv_emulator_api_key(emu), 1, 300);
    expect(kv_emulator_inject(emu, "{\"mode\":\"latency\",\"ms\":3000}", &err), &err,
           KV_STATUS_OK, NULL);
    expect(kv_client_validate(other, "some-id", "123456", &v, &err), &err, KV_STATUS_TIMEOUT,
           NULL);
    kv_client_free(other);
    /* connect: nothing listens there */
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_port());
    other = client_for(url, kv_emulator_api_key(emu), 1, 10000);
    expect(kv_client_generate(other, &ok, &g, &err), &err, KV_STATUS_CONNECT, NULL);
    kv_client_free(other);
    /* unknown (a code no table knows, a status that says nothing) and decode, from a
     * server that answers exactly what it is told */
    CHECK(canned_start(&srv) == 0);
    canned_url(&srv, url, sizeof url);
    other = client_for(url, kv_emulator_api_key(emu), 1, 10000);
    canned_set(&srv, 418, "",
               "{\"error\":{\"code\":\"E999\",\"type\":\"NEW\",\"parameter\":\"\","
               "\"message\":\"Something new.\",\"reference\":\"r-1\"}}");
    kv_client_validate(other, "some-id", "123456", &v, &err);
    CHECK_STR(kv_error_reference(err), "r-1");
    CHECK_STR(kv_error_service_message(err), "Something new.");
    CHECK(kv_error_http_status(err) == 418);
    expect(kv_error_kind(err), &err, KV_STATUS_UNKNOWN, "E999");
    canned_set(&srv, 200, "", "this is not json");
    kv_client_validate(other, "some-id", "123456", &v, &err);
    CHECK(kv_error_http_status(err) == 200 && kv_error_code(err) == NULL);
    expect(kv_error_kind(err), &err, KV_STATUS_DECODE, NULL);
    canned_set(&srv, 502, "", "<html>bad gateway</html>");
    kv_client_validate(other, "some-id", "123456", &v, &err);
    CHECK(kv_error_body_snippet(err) != NULL && strstr(kv_error_body_snippet(err), "bad gateway"));
    expect(kv_error_kind(err), &err, KV_STATUS_SERVER, NULL);
    kv_client_free(other);
    canned_stop(&srv);
    /* internal: a panic inside the library stops at the boundary */
    expect(kv_testing_panic(&err), &err, KV_STATUS_INTERNAL, NULL);
    expect_status(kv_testing_panic(NULL), KV_STATUS_INTERNAL);
}

static void test_config_errors(void) {
    kv_client_options o;
    kv_client *c = (kv_client *)1;
    kv_error *err = NULL;
    double negative = -1, nan = NAN, attempts = 0.5;
    memset(&o, 0, sizeof o);
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    CHECK(c == NULL);
    o.sid = kv_emulator_sid(emu);
    o.api_key = SECRET_KEY;
    o.region = "mars";
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    o.region = NULL;
    o.base_url = "http://example.com";
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    o.base_url = kv_emulator_base_url(emu);
    o.timeout_ms = &negative;
    kv_client_new(&o, &c, &err);
    CHECK(err != NULL && strstr(kv_error_message(err), "timeout_ms") != NULL);
    expect(kv_error_kind(err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    o.timeout_ms = &nan;
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    o.timeout_ms = NULL;
    o.max_attempts = &attempts;
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
    o.max_attempts = NULL;
    o.ca_cert_pem = "not a certificate";
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_INVALID_CONFIG, NULL);
}

static void test_certificate(void) {
    kv_emulator_options eo = {true};
    kv_emulator *tls = NULL;
    kv_client_options o;
    kv_client *c = NULL;
    kv_error *err = NULL;
    kv_generate_request ok = {"+12025550123", NULL, NULL, NULL};
    kv_generated *g = NULL;
    double one = 1;
    expect(kv_emulator_start(&eo, &tls, &err), &err, KV_STATUS_OK, NULL);
    CHECK(strncmp(kv_emulator_base_url(tls), "https://", 8) == 0);
    CHECK(kv_emulator_ca_cert_pem(tls) != NULL && kv_emulator_ca_cert_pem(emu) == NULL);
    memset(&o, 0, sizeof o);
    o.sid = kv_emulator_sid(tls);
    o.api_key = kv_emulator_api_key(tls);
    o.base_url = kv_emulator_base_url(tls);
    o.max_attempts = &one;
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_OK, NULL);
    expect(kv_client_generate(c, &ok, &g, &err), &err, KV_STATUS_CERTIFICATE, NULL);
    kv_client_free(c);
    o.ca_cert_pem = kv_emulator_ca_cert_pem(tls);
    expect(kv_client_new(&o, &c, &err), &err, KV_STATUS_OK, NULL);
    expect(kv_client_generate(c, &ok, &g, &err), &err, KV_STATUS_OK, NULL);
    CHECK(g != NULL);
    kv_generated_free(g);
    kv_client_free(c);
    kv_emulator_free(tls);
}

static void test_bad_arguments(kv_client *c) {
    kv_generate_request ok = {"+12025550123", NULL, NULL, NULL};
    kv_generate_request bad_utf8 = {"+1202555\xff\xfe", NULL, NULL, NULL};
    kv_generated *g = NULL;
    kv_validated *v = NULL;
    kv_error *err = NULL;
    kv_check_outcome out = 0;
    kv_client *made = NULL;
    kv_emulator *e2 = NULL;
    char *code = NULL;
    char *huge = (char *)malloc(KV_MAX_STRING_LEN + 16);
    const kv_status bad = KV_STATUS_INVALID_ARGUMENT;

    memset(huge, '1', KV_MAX_STRING_LEN + 15);
    huge[KV_MAX_STRING_LEN + 15] = '\0';
    expect(kv_client_generate(NULL, &ok, &g, &err), &err, bad, NULL);
    expect(kv_client_generate(c, NULL, &g, &err), &err, bad, NULL);
    expect(kv_client_generate(c, &ok, NULL, &err), &err, bad, NULL);
    expect(kv_client_generate(c, &bad_utf8, &g, &err), &err, bad, NULL);
    CHECK(g == NULL);
    ok.email = huge;
    kv_client_generate(c, &ok, &g, &err);
    CHECK(err != NULL && strstr(kv_error_message(err), "KV_MAX_STRING_LEN") != NULL);
    expect(kv_error_kind(err), &err, bad, NULL);
    expect(kv_client_validate(NULL, "id", "123456", &v, &err), &err, bad, NULL);
    expect(kv_client_validate(c, NULL, "123456", &v, &err), &err, bad, NULL);
    expect(kv_client_validate(c, "id", NULL, &v, &err), &err, bad, NULL);
    expect(kv_client_validate(c, "id", "123456", NULL, &err), &err, bad, NULL);
    expect(kv_client_validate(c, "id\xc3", "123456", &v, &err), &err, bad, NULL);
    expect(kv_client_validate(c, huge, "123456", &v, &err), &err, bad, NULL);
    expect(kv_client_check(NULL, "id", "123456", &out, &err), &err, bad, NULL);
    expect(kv_client_check(c, "id", "\x80", &out, &err), &err, bad, NULL);
    expect(kv_client_check(c, "id", "123456", NULL, &err), &err, bad, NULL);
    expect_status(kv_client_check(c, "id", "123456", NULL, NULL), bad);
    expect(kv_client_new(NULL, &made, &err), &err, bad, NULL);
    expect(kv_client_new(NULL, NULL, &err), &err, bad, NULL);
    expect(kv_client_new_from_env(NULL, &err), &err, bad, NULL);
    expect(kv_emulator_start(NULL, NULL, &err), &err, bad, NULL);
    expect(kv_emulator_last_code(NULL, "id", &code, &err), &err, bad, NULL);
    expect(kv_emulator_last_code(emu, NULL, &code, &err), &err, bad, NULL);
    expect(kv_emulator_last_code(emu, "id", NULL, &err), &err, bad, NULL);
    expect(kv_emulator_inject(emu, "{\"mode\":\"nonsense\"}", &err), &err, bad, NULL);
    expect(kv_emulator_inject(emu, NULL, &err), &err, bad, NULL);
    expect(kv_emulator_inject(NULL, "{}", &err), &err, bad, NULL);
    expect(kv_emulator_advance_clock(NULL, 1, &err), &err, bad, NULL);
    {
        kv_client_options o;
        memset(&o, 0, sizeof o);
        o.sid = "\xff";
        expect(kv_client_new(&o, &made, &err), &err, bad, NULL);
        CHECK(made == NULL);
    }
    /* accessors and frees accept NULL */
    CHECK(kv_error_kind(NULL) == bad && kv_error_message(NULL) == NULL);
    CHECK(kv_error_code(NULL) == NULL && kv_error_type(NULL) == NULL);
    CHECK(kv_error_parameter(NULL) == NULL && kv_error_service_message(NULL) == NULL);
    CHECK(kv_error_reference(NULL) == NULL && kv_error_body_snippet(NULL) == NULL);
    CHECK(kv_error_http_status(NULL) == 0 && !kv_error_retry_after_ms(NULL, NULL));
    CHECK(kv_error_cause_kind(NULL) == KV_STATUS_OK && !kv_error_is_retryable(NULL));
    CHECK(kv_generated_verify_id(NULL) == NULL && kv_generated_mobile(NULL) == NULL);
    CHECK(kv_generated_email(NULL) == NULL && kv_generated_flow_id(NULL) == NULL);
    CHECK(kv_validated_verify_id(NULL) == NULL && kv_validated_message(NULL) == NULL);
    CHECK(!kv_validated_after_lost_attempt(NULL));
    CHECK(kv_emulator_base_url(NULL) == NULL && kv_emulator_sid(NULL) == NULL);
    CHECK(kv_emulator_api_key(NULL) == NULL && kv_emulator_ca_cert_pem(NULL) == NULL);
    kv_client_free(NULL);
    kv_error_free(NULL);
    kv_generated_free(NULL);
    kv_validated_free(NULL);
    kv_emulator_free(NULL);
    kv_string_free(NULL);
    (void)e2;
    free(huge);
}

int main(void) {
    kv_error *err = NULL;
    kv_client *c;
    int n;

    expect(kv_emulator_start(NULL, &emu, &err), &err, KV_STATUS_OK, NULL);
    if (emu == NULL) return 1;
    c = client_for(kv_emulator_base_url(emu), kv_emulator_api_key(emu), 3, 10000);
    test_tables();
    test_flow(c);
    test_env();
    test_json();
    test_fork(c);
    test_error_kinds(c);
    test_config_errors();
    test_certificate();
    test_bad_arguments(c);
    /* every status the header names was returned by some call above */
    for (n = 1; n < 256; n++) {
        if (kv_status_name((uint32_t)n) != NULL && !seen[n]) {
            checks_failed++;
            fprintf(stderr, "status %s (%d) was never reached\n", kv_status_name((uint32_t)n), n);
        }
    }
    kv_client_free(c);
    kv_emulator_free(emu);
    return check_report("test_api");
}
