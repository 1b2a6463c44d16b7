/* The conformance suite's scenarios.json and flows.json, run through the C ABI against
 * the emulator started from C (conformance/README.md gives the format). Each case is named
 * in the output; fewer cases than expected fails the run.
 * Usage: conformance_emulator SCENARIOS_JSON FLOWS_JSON */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <stdlib.h>
#include <time.h>

#include "kaleyra_verify.h"
#include "check.h"

#define MIN_SCENARIOS 51
#define MIN_FLOWS 9

static char why[512];

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    long n;
    char *buf;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_ms(double ms) {
    struct timespec t;
    t.tv_sec = (time_t)(ms / 1000);
    t.tv_nsec = (long)((ms - (double)t.tv_sec * 1000) * 1e6);
    nanosleep(&t, NULL);
}

static const char *str(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *get(const cJSON *o, const char *k) {
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* A count: an exact number or {"at_most": n}. */
static int count_ok(const cJSON *want, double got, const char *what) {
    const cJSON *at_most = get(want, "at_most");
    int ok = at_most ? got <= at_most->valuedouble : got == want->valuedouble;
    if (!ok) snprintf(why, sizeof why, "%s is %.0f", what, got);
    return ok;
}

/* The result of one call, as the README's fields. */
typedef struct result {
    kv_status status;
    kv_error *err;
    cJSON *ok; /* success fields */
} result;

static void result_free(result *r) {
    kv_error_free(r->err);
    cJSON_Delete(r->ok);
    r->err = NULL;
    r->ok = NULL;
}

static void add_str(cJSON *o, const char *k, const char *v) {
    cJSON_AddItemToObject(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* Runs generate, validate or check with `input`. */
static result call(kv_client *c, const char *op, const cJSON *input) {
    result r = {KV_STATUS_OK, NULL, cJSON_CreateObject()};
    const char *id = str(input, "verify_id"), *otp = str(input, "otp");
    if (strcmp(op, "generate") == 0) {
        kv_generate_request req = {str(input, "mobile"), str(input, "email"), str(input, "flow_id"),
                                   str(input, "otp")};
        kv_generated *g = NULL;
        r.status = kv_client_generate(c, &req, &g, &r.err);
        if (g) {
            add_str(r.ok, "verify_id", kv_generated_verify_id(g));
            add_str(r.ok, "mobile", kv_generated_mobile(g));
            add_str(r.ok, "email", kv_generated_email(g));
            add_str(r.ok, "flow_id", kv_generated_flow_id(g));
        }
        kv_generated_free(g);
    } else if (strcmp(op, "validate") == 0) {
        kv_validated *v = NULL;
        r.status = kv_client_validate(c, id ? id : "", otp ? otp : "", &v, &r.err);
        if (v) {
            add_str(r.ok, "verify_id", kv_validated_verify_id(v));
            add_str(r.ok, "message", kv_validated_message(v));
            cJSON_AddBoolToObject(r.ok, "after_lost_attempt", kv_validated_after_lost_attempt(v));
        }
        kv_validated_free(v);
    } else {
        kv_check_outcome out = 0;
        r.status = kv_client_check(c, id ? id : "", otp ? otp : "", &out, &r.err);
        if (r.status == KV_STATUS_OK) add_str(r.ok, "outcome", kv_check_outcome_name(out));
    }
    return r;
}

/* Compares a result with `expect` (result, ok, error) and the README's invariants. */
static int result_ok(const result *r, const cJSON *expect, const char *op, const cJSON *input,
                     const char *key) {
    const char *want = str(expect, "result");
    const cJSON *fields, *f;
    if (r->err != NULL && strstr(kv_error_message(r->err), key) != NULL) {
        snprintf(why, sizeof why, "the API key is in the error message");
        return 0;
    }
    if (want && strcmp(want, "ok") == 0) {
        if (r->status != KV_STATUS_OK) {
            snprintf(why, sizeof why, "error %s: %s", kv_status_name(r->status), kv_error_message(r->err));
            return 0;
        }
        if (strcmp(op, "generate") == 0 && strlen(str(r->ok, "verify_id")) == 0) return 0;
        if (strcmp(op, "validate") == 0 && strcmp(str(r->ok, "verify_id"), str(input, "verify_id")) != 0) {
            snprintf(why, sizeof why, "validated another verify_id");
            return 0;
        }
        fields = get(expect, "ok");
        cJSON_ArrayForEach(f, fields) {
            const cJSON *got = get(r->ok, f->string);
            if (got == NULL || !cJSON_Compare(got, f, 1)) {
                char *g = got ? cJSON_PrintUnformatted(got) : NULL;
                snprintf(why, sizeof why, "ok.%s is %s", f->string, g ? g : "absent");
                free(g);
                return 0;
            }
        }
        return 1;
    }
    if (r->status == KV_STATUS_OK) {
        snprintf(why, sizeof why, "succeeded, expected an error");
        return 0;
    }
    fields = get(expect, "error");
    cJSON_ArrayForEach(f, fields) {
        const char *k = f->string;
        int ok = 1;
        if (strcmp(k, "kind") == 0) {
            ok = strcmp(kv_status_name(kv_error_kind(r->err)), f->valuestring) == 0;
        } else if (strcmp(k, "cause_kind") == 0) {
            ok = strcmp(kv_status_name(kv_error_cause_kind(r->err)), f->valuestring) == 0;
        } else if (strcmp(k, "status") == 0) {
            ok = cJSON_IsNull(f) ? kv_error_http_status(r->err) == 0
                                 : kv_error_http_status(r->err) == f->valueint;
        } else if (strcmp(k, "code") == 0) {
            const char *code = kv_error_code(r->err);
            ok = cJSON_IsNull(f) ? code == NULL : code != NULL && strcmp(code, f->valuestring) == 0;
        } else if (strcmp(k, "retry_after_ms") == 0) {
            uint64_t ms = 0;
            int has = kv_error_retry_after_ms(r->err, &ms);
            ok = cJSON_IsNull(f) ? !has : has && (double)ms == f->valuedouble;
        } else {
            snprintf(why, sizeof why, "unknown error field %s", k);
            return 0;
        }
        if (!ok) {
            snprintf(why, sizeof why, "error.%s differs: %s (%s)", k,
                     kv_status_name(kv_error_kind(r->err)), kv_error_message(r->err));
            return 0;
        }
    }
    return 1;
}

/* The emulator's counters. */
static cJSON *stats(kv_emulator *emu) {
    char *json = NULL;
    cJSON *s;
    kv_emulator_stats_json(emu, &json, NULL);
    s = cJSON_Parse(json);
    kv_string_free(json);
    return s;
}

static double route_total(const cJSON *st, const char *route) {
    const cJSON *r = get(get(st, "requests"), route), *n;
    double total = 0;
    cJSON_ArrayForEach(n, r) total += n->valuedouble;
    return total;
}

/* A client for the emulator: defaults, then the case's options, then the emulator's. */
static kv_client *client_for(kv_emulator *emu, const cJSON *defaults, const cJSON *mine) {
    cJSON *o = cJSON_Duplicate(defaults, 1), *f;
    kv_client *c = NULL;
    kv_error *err = NULL;
    char *json;
    if (o == NULL) o = cJSON_CreateObject();
    cJSON_ArrayForEach(f, mine) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, f->string);
        cJSON_AddItemToObject(o, f->string, cJSON_Duplicate(f, 1));
    }
    if (!get(o, "sid")) cJSON_AddStringToObject(o, "sid", kv_emulator_sid(emu));
    if (!get(o, "api_key")) cJSON_AddStringToObject(o, "api_key", kv_emulator_api_key(emu));
    if (!get(o, "base_url")) cJSON_AddStringToObject(o, "base_url", kv_emulator_base_url(emu));
    json = cJSON_PrintUnformatted(o);
    if (kv_client_new_json(json, &c, &err) != KV_STATUS_OK)
        snprintf(why, sizeof why, "client: %s", kv_error_message(err));
    kv_error_free(err);
    free(json);
    cJSON_Delete(o);
    return c;
}

static void wrong_of(const char *code, char *out, size_t n) {
    snprintf(out, n, "%s", strcmp(code, "000000") == 0 ? "111111" : "000000");
}

static int inject_all(kv_emulator *emu, const cJSON *faults) {
    const cJSON *f;
    cJSON_ArrayForEach(f, faults) {
        char *json = cJSON_PrintUnformatted(f);
        kv_error *err = NULL;
        kv_status s = kv_emulator_inject(emu, json, &err);
        if (s != KV_STATUS_OK) snprintf(why, sizeof why, "fault %s: %s", json, kv_error_message(err));
        kv_error_free(err);
        free(json);
        if (s != KV_STATUS_OK) return 0;
    }
    return 1;
}

static int scenario(const cJSON *defaults, const cJSON *sc) {
    const char *op = str(sc, "operation"), *mobile = str(defaults, "mobile");
    const cJSON *expect = get(sc, "expect"), *later = get(expect, "later"), *w;
    const char *route = strcmp(op, "generate") == 0 ? "generate" : "validate";
    kv_emulator *emu = NULL;
    kv_client *c;
    cJSON *input = cJSON_CreateObject(), *st = NULL;
    result r = {KV_STATUS_OK, NULL, NULL};
    int ok = 0;
    double t0, elapsed;
    why[0] = '\0';
    if (kv_emulator_start(NULL, &emu, NULL) != KV_STATUS_OK) return 0;
    c = client_for(emu, get(defaults, "client"), get(sc, "client"));
    if (c == NULL) goto done;
    if (strcmp(op, "generate") == 0) {
        cJSON_AddStringToObject(input, "mobile", mobile);
    } else {
        kv_generate_request req = {mobile, NULL, NULL, NULL};
        kv_generated *g = NULL;
        char *code = NULL, wrong[16];
        if (kv_client_generate(c, &req, &g, NULL) != KV_STATUS_OK ||
            kv_emulator_last_code(emu, kv_generated_verify_id(g), &code, NULL) != KV_STATUS_OK) {
            snprintf(why, sizeof why, "set-up generate failed");
            kv_generated_free(g);
            goto done;
        }
        wrong_of(code, wrong, sizeof wrong);
        cJSON_AddStringToObject(input, "verify_id", kv_generated_verify_id(g));
        cJSON_AddStringToObject(input, "otp", str(sc, "otp") && strcmp(str(sc, "otp"), "wrong") == 0 ? wrong : code);
        kv_string_free(code);
        kv_generated_free(g);
    }
    if (!inject_all(emu, get(sc, "faults"))) goto done;
    t0 = now_ms();
    r = call(c, op, input);
    elapsed = now_ms() - t0;
    if (!result_ok(&r, expect, op, input, kv_emulator_api_key(emu))) goto done;
    st = stats(emu);
    if ((w = get(expect, "requests")) && !count_ok(w, route_total(st, route), "requests")) goto done;
    if ((w = get(expect, "otps_generated")) &&
        !count_ok(w, get(st, "otps_generated")->valuedouble, "otps_generated"))
        goto done;
    if ((w = get(expect, "answered")) != NULL) {
        const cJSON *a;
        cJSON_ArrayForEach(a, w) {
            const cJSON *got = get(get(get(st, "requests"), route), a->string);
            if (!count_ok(a, got ? got->valuedouble : 0, "an answered count")) goto done;
        }
    }
    if ((w = get(expect, "min_elapsed_ms")) && elapsed < w->valuedouble) {
        snprintf(why, sizeof why, "took %.0f ms", elapsed);
        goto done;
    }
    if ((w = get(expect, "max_elapsed_ms")) && elapsed >= w->valuedouble) {
        snprintf(why, sizeof why, "took %.0f ms", elapsed);
        goto done;
    }
    if (later != NULL) {
        sleep_ms(get(later, "after_ms")->valuedouble);
        cJSON_Delete(st);
        st = stats(emu);
        if ((w = get(later, "requests")) && !count_ok(w, route_total(st, route), "later requests")) goto done;
        if ((w = get(later, "otps_generated")) &&
            !count_ok(w, get(st, "otps_generated")->valuedouble, "later otps_generated"))
            goto done;
    }
    ok = 1;
done:
    result_free(&r);
    cJSON_Delete(st);
    cJSON_Delete(input);
    kv_client_free(c);
    kv_emulator_free(emu);
    return ok;
}

/* Replaces every string "$name" in `node` by the variable; false for an unknown one. */
static int substitute(cJSON *node, const cJSON *vars) {
    cJSON *child;
    if (cJSON_IsString(node) && node->valuestring[0] == '$') {
        const char *v = str(vars, node->valuestring + 1);
        if (v == NULL) {
            snprintf(why, sizeof why, "unknown variable %s", node->valuestring);
            return 0;
        }
        cJSON_SetValuestring(node, v);
        return 1;
    }
    cJSON_ArrayForEach(child, node) if (!substitute(child, vars)) return 0;
    return 1;
}

static int flow_step(kv_emulator *emu, kv_client *c, cJSON *step, cJSON *vars) {
    const char *what = str(step, "do");
    const cJSON *expect = get(step, "expect"), *f;
    if (!substitute(step, vars)) return 0;
    if (strcmp(what, "generate") == 0 || strcmp(what, "validate") == 0 || strcmp(what, "check") == 0) {
        result r = call(c, what, get(step, "input"));
        int ok = result_ok(&r, expect, what, get(step, "input"), kv_emulator_api_key(emu));
        if (ok && str(step, "save") && r.status == KV_STATUS_OK)
            cJSON_AddStringToObject(vars, str(step, "save"), str(r.ok, "verify_id"));
        result_free(&r);
        return ok;
    }
    if (strcmp(what, "read_code") == 0) {
        char *json = NULL, wrong[16], wrong_name[64];
        const char *save = str(step, "save") ? str(step, "save") : "code";
        cJSON *list, *last;
        int ok = 1;
        kv_emulator_outbox_json(emu, str(step, "verify_id"), &json, NULL);
        list = cJSON_Parse(json);
        kv_string_free(json);
        last = cJSON_GetArrayItem(list, cJSON_GetArraySize(list) - 1);
        if (last == NULL) {
            snprintf(why, sizeof why, "no delivery for %s", str(step, "verify_id"));
            ok = 0;
        }
        cJSON_ArrayForEach(f, expect) {
            if (ok && !cJSON_Compare(get(last, f->string), f, 1)) {
                snprintf(why, sizeof why, "delivery.%s differs", f->string);
                ok = 0;
            }
        }
        if (ok) {
            wrong_of(str(last, "code"), wrong, sizeof wrong);
            snprintf(wrong_name, sizeof wrong_name, "%s_wrong", save);
            cJSON_AddStringToObject(vars, save, str(last, "code"));
            cJSON_AddStringToObject(vars, wrong_name, wrong);
        }
        cJSON_Delete(list);
        return ok;
    }
    if (strcmp(what, "advance_clock") == 0) {
        return kv_emulator_advance_clock(emu, (uint64_t)(get(step, "seconds")->valuedouble * 1000),
                                         NULL) == KV_STATUS_OK;
    }
    if (strcmp(what, "counters") == 0) {
        cJSON *st = stats(emu);
        int ok = 1;
        cJSON_ArrayForEach(f, expect) {
            if (strcmp(f->string, "requests") == 0) {
                const cJSON *route;
                cJSON_ArrayForEach(route, f) ok = ok && count_ok(route, route_total(st, route->string), route->string);
            } else {
                const cJSON *got = get(st, f->string);
                ok = ok && count_ok(f, got ? got->valuedouble : -1, f->string);
            }
        }
        cJSON_Delete(st);
        return ok;
    }
    snprintf(why, sizeof why, "unknown step %s", what);
    return 0;
}

static int flow(const cJSON *defaults, const cJSON *fl) {
    kv_emulator *emu = NULL;
    kv_client *c;
    cJSON *vars = cJSON_CreateObject(), *steps = cJSON_Duplicate(get(fl, "steps"), 1), *step;
    int ok = 1, i = 0;
    why[0] = '\0';
    if (kv_emulator_start(NULL, &emu, NULL) != KV_STATUS_OK) return 0;
    c = client_for(emu, get(defaults, "client"), get(fl, "client"));
    ok = c != NULL;
    cJSON_ArrayForEach(step, steps) {
        i++;
        if (!ok) break;
        if (!flow_step(emu, c, step, vars)) {
            char msg[sizeof why + 64];
            snprintf(msg, sizeof msg, "step %d (%s): %.400s", i, str(step, "do"), why);
            memcpy(why, msg, sizeof why - 1);
            why[sizeof why - 1] = 0;
            ok = 0;
        }
    }
    cJSON_Delete(vars);
    cJSON_Delete(steps);
    kv_client_free(c);
    kv_emulator_free(emu);
    return ok;
}

static void named(const char *file, const char *name, int ok) {
    if (ok) {
        checks_passed++;
        printf("ok   %s %s\n", file, name);
    } else {
        checks_failed++;
        printf("FAIL %s %s: %s\n", file, name, why);
    }
}

int main(int argc, char **argv) {
    char *text;
    cJSON *scenarios, *flows;
    const cJSON *c;
    int n_sc, n_fl;
    if (argc != 3) {
        fprintf(stderr, "usage: conformance_emulator SCENARIOS_JSON FLOWS_JSON\n");
        return 2;
    }
    text = slurp(argv[1]);
    scenarios = cJSON_Parse(text);
    free(text);
    text = slurp(argv[2]);
    flows = cJSON_Parse(text);
    free(text);
    if (scenarios == NULL || flows == NULL) return 1;
    cJSON_ArrayForEach(c, get(scenarios, "scenarios"))
        named("scenarios", str(c, "name"), scenario(get(scenarios, "defaults"), c));
    cJSON_ArrayForEach(c, get(flows, "flows")) named("flows", str(c, "name"), flow(get(flows, "defaults"), c));
    n_sc = cJSON_GetArraySize(get(scenarios, "scenarios"));
    n_fl = cJSON_GetArraySize(get(flows, "flows"));
    if (n_sc < MIN_SCENARIOS || n_fl < MIN_FLOWS) {
        checks_failed++;
        printf("FAIL: %d scenarios and %d flows, expected at least %d and %d\n", n_sc, n_fl,
               MIN_SCENARIOS, MIN_FLOWS);
    }
    printf("conformance: %d scenarios, %d flows\n", n_sc, n_fl);
    cJSON_Delete(scenarios);
    cJSON_Delete(flows);
    return check_report("conformance_emulator");
}
