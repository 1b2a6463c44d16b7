// The C++ example, through the header-only RAII layer (kaleyra_verify.hpp): the OTP flow,
// then the errors as exceptions. Run by scripts/test-c.sh; exits non-zero on any surprise.
#include <cstdio>
#include <string>

#include <kaleyra_verify.hpp>

namespace kv = kaleyra_verify;

int main() {
    int failures = 0;
    auto expect = [&](bool ok, const char *what) {
        if (!ok) {
            std::fprintf(stderr, "example.cpp: failed: %s\n", what);
            failures++;
        }
    };
    kv::Emulator emulator;
    kv_client_options options{};
    std::string sid = emulator.sid(), key = emulator.api_key(), url = emulator.base_url();
    options.sid = sid.c_str();
    options.api_key = key.c_str();
    options.base_url = url.c_str();
    const kv::Client client(options);

    kv::Generated sent = client.generate({"+12025550123", std::nullopt, std::nullopt, std::nullopt});
    std::printf("sent verification %s to %s\n", sent.verify_id.c_str(),
                sent.mobile.value_or("?").c_str());
    std::string code = emulator.last_code(sent.verify_id);
    kv::Validated v = client.validate(sent.verify_id, code);
    expect(v.verify_id == sent.verify_id && !v.after_lost_attempt, "validate");
    expect(client.check_code(sent.verify_id, code) == KV_CHECK_OUTCOME_ALREADY_VERIFIED,
           "already verified");

    try {
        client.generate({"+12", std::nullopt, std::nullopt, std::nullopt});
        expect(false, "a bad number throws");
    } catch (const kv::Error &e) {
        std::printf("refused: %s (%s): %s\n", e.kind_name(), e.code().value_or("").c_str(), e.what());
        expect(e.kind() == KV_STATUS_VALIDATION && e.code_id() == KV_CODE_E805, "refused with E805");
        expect(e.parameter() == "mobile" && e.http_status() == 0, "E805 fields");
    }
    emulator.inject(R"({"mode":"rate_limit","retry_after":3})");
    kv_client_options once = options;
    double one = 1;
    once.max_attempts = &one;
    try {
        kv::Client(once).validate(sent.verify_id, "123456");
        expect(false, "rate limited throws");
    } catch (const kv::Error &e) {
        expect(e.kind() == KV_STATUS_RATE_LIMITED && e.retry_after_ms() == 3000u, "retry after");
        expect(e.is_retryable(), "retryable");
    }
    try {
        kv_client_options empty{};
        kv::Client bad(empty);
        expect(false, "no SID throws");
    } catch (const kv::Error &e) {
        expect(e.kind() == KV_STATUS_INVALID_CONFIG, "invalid config");
    }
    std::printf("example.cpp: %s\n", failures == 0 ? "all passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
