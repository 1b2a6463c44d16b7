/* The C example (README): send an OTP, read the code the emulator "sent", check it.
 * Build: cc example.c $(pkg-config --cflags --libs kaleyra_verify) -o example */
#include <stdio.h>

#include <kaleyra_verify.h>

int main(void) {
    kv_emulator *emulator = NULL;
    kv_client *client = NULL;
    kv_client_options options = {0};
    kv_generate_request request = {0};
    kv_generated *sent = NULL;
    kv_error *error = NULL;
    kv_check_outcome outcome = 0;
    char *code = NULL;
    int rc = 1;

    /* A local emulator stands in for the service; for the real one, set sid, api_key and
     * region (or call kv_client_new_from_env). */
    if (kv_emulator_start(NULL, &emulator, &error) != KV_STATUS_OK) goto done;
    options.sid = kv_emulator_sid(emulator);
    options.api_key = kv_emulator_api_key(emulator);
    options.base_url = kv_emulator_base_url(emulator);
    if (kv_client_new(&options, &client, &error) != KV_STATUS_OK) goto done;

    request.mobile = "+12025550123";
    if (kv_client_generate(client, &request, &sent, &error) != KV_STATUS_OK) goto done;
    printf("sent verification %s\n", kv_generated_verify_id(sent));

    /* ... the user types the code they received ... */
    if (kv_emulator_last_code(emulator, kv_generated_verify_id(sent), &code, &error) != KV_STATUS_OK)
        goto done;
    if (kv_client_check(client, kv_generated_verify_id(sent), code, &outcome, &error) != KV_STATUS_OK)
        goto done;
    printf("check: %s\n", kv_check_outcome_name(outcome));
    rc = outcome == KV_CHECK_OUTCOME_VERIFIED ? 0 : 1;

done:
    if (error != NULL) {
        fprintf(stderr, "error %s (%s): %s\n", kv_status_name(kv_error_kind(error)),
                kv_error_code(error) ? kv_error_code(error) : "no code", kv_error_message(error));
    }
    kv_string_free(code);
    kv_generated_free(sent);
    kv_error_free(error);
    kv_client_free(client);
    kv_emulator_free(emulator);
    return rc;
}
