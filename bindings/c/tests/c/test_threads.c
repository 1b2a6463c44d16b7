/* Eight threads share one client (the header says a client is thread-safe): each sends
 * and checks codes against one emulator; every check must come back verified. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>

#include "kaleyra_verify.h"
#include "check.h"

#define THREADS 8
#define ROUNDS 20

static kv_emulator *emu;
static kv_client *client;

typedef struct result {
    int verified;
    int failed;
} result;

static void *worker(void *arg) {
    result *r = (result *)arg;
    kv_generate_request req = {"+12025550123", NULL, NULL, NULL};
    int i;
    for (i = 0; i < ROUNDS; i++) {
        kv_generated *g = NULL;
        kv_error *err = NULL;
        char *code = NULL;
        kv_check_outcome out = 0;
        if (kv_client_generate(client, &req, &g, &err) != KV_STATUS_OK) {
            fprintf(stderr, "generate: %s\n", kv_error_message(err));
            kv_error_free(err);
            r->failed++;
            continue;
        }
        if (kv_emulator_last_code(emu, kv_generated_verify_id(g), &code, NULL) == KV_STATUS_OK &&
            kv_client_check(client, kv_generated_verify_id(g), code, &out, &err) == KV_STATUS_OK &&
            out == KV_CHECK_OUTCOME_VERIFIED) {
            r->verified++;
        } else {
            r->failed++;
        }
        kv_error_free(err);
        kv_string_free(code);
        kv_generated_free(g);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    result results[THREADS];
    kv_client_options o;
    int i, verified = 0;

    CHECK(kv_emulator_start(NULL, &emu, NULL) == KV_STATUS_OK);
    if (emu == NULL) return 1;
    memset(&o, 0, sizeof o);
    o.sid = kv_emulator_sid(emu);
    o.api_key = kv_emulator_api_key(emu);
    o.base_url = kv_emulator_base_url(emu);
    CHECK(kv_client_new(&o, &client, NULL) == KV_STATUS_OK);
    memset(results, 0, sizeof results);
    for (i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, &results[i]) == 0);
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(results[i].verified == ROUNDS && results[i].failed == 0);
        verified += results[i].verified;
    }
    CHECK(verified == THREADS * ROUNDS);
    printf("test_threads: %d threads, %d codes verified on one client\n", THREADS, verified);
    kv_client_free(client);
    kv_emulator_free(emu);
    return check_report("test_threads");
}
