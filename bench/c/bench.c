/* The C half of bench/c: kv_client_check from N threads sharing one client, the loop
 * blocking.rs runs on the Rust BlockingClient. Prints one line:
 * `mode=c threads=N calls=.. rps=.. cpu_us_per_call=..`.
 * Usage: bench URL SID KEY VERIFY_ID OTP THREADS SECONDS */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <kaleyra_verify.h>

static kv_client *client;
static const char *verify_id, *otp;
static volatile int stop;

static double cpu_seconds(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           u.ru_stime.tv_usec / 1e6;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    unsigned long *calls = (unsigned long *)arg;
    while (!stop) {
        kv_check_outcome out = 0;
        kv_error *err = NULL;
        if (kv_client_check(client, verify_id, otp, &out, &err) != KV_STATUS_OK) {
            fprintf(stderr, "bench: %s\n", kv_error_message(err));
            exit(1);
        }
        (*calls)++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    kv_client_options o;
    pthread_t threads[64];
    unsigned long calls[64];
    unsigned long total = 0;
    int i, n;
    double cpu0, t0, wall, cpu;
    struct timespec pause;
    kv_check_outcome out = 0;

    if (argc != 8 || (n = atoi(argv[6])) < 1 || n > 64) {
        fprintf(stderr, "usage: bench URL SID KEY VERIFY_ID OTP THREADS SECONDS\n");
        return 2;
    }
    memset(&o, 0, sizeof o);
    o.base_url = argv[1];
    o.sid = argv[2];
    o.api_key = argv[3];
    verify_id = argv[4];
    otp = argv[5];
    if (kv_client_new(&o, &client, NULL) != KV_STATUS_OK) return 1;
    if (kv_client_check(client, verify_id, otp, &out, NULL) != KV_STATUS_OK) return 1;

    memset(calls, 0, sizeof calls);
    cpu0 = cpu_seconds();
    t0 = now();
    for (i = 0; i < n; i++) pthread_create(&threads[i], NULL, worker, &calls[i]);
    pause.tv_sec = (time_t)atof(argv[7]);
    pause.tv_nsec = (long)((atof(argv[7]) - (double)pause.tv_sec) * 1e9);
    nanosleep(&pause, NULL);
    stop = 1;
    for (i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        total += calls[i];
    }
    wall = now() - t0;
    cpu = cpu_seconds() - cpu0;
    printf("mode=c threads=%d calls=%lu rps=%.0f cpu_us_per_call=%.1f\n", n, total, total / wall,
           cpu * 1e6 / (double)total);
    kv_client_free(client);
    return 0;
}
