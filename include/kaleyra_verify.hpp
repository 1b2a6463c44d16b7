/*
 * kaleyra_verify.hpp: a thin header-only C++17 layer over kaleyra_verify.h: RAII owners
 * and exceptions, nothing more. Every call is the C function of the same name; the
 * results are copied into std::string so that no borrowed pointer outlives its object.
 * Thread safety is that of the C types: a Client may be shared by threads.
 */
#ifndef KALEYRA_VERIFY_HPP
#define KALEYRA_VERIFY_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "kaleyra_verify.h"

namespace kaleyra_verify {

namespace detail {
inline std::optional<std::string> opt(const char *s) {
    return s ? std::optional<std::string>(s) : std::nullopt;
}
inline const char *c_str(const std::optional<std::string> &s) {
    return s ? s->c_str() : nullptr;
}
}  // namespace detail

/** A failed call: the kv_error's fields, copied. */
class Error : public std::runtime_error {
  public:
    explicit Error(kv_error *e)
        : std::runtime_error(e ? kv_error_message(e) : "unknown error"),
          kind_(e ? kv_error_kind(e) : KV_STATUS_INTERNAL),
          code_(detail::opt(kv_error_code(e))),
          code_id_(kv_error_code_id(e)),
          parameter_(detail::opt(kv_error_parameter(e))),
          http_status_(kv_error_http_status(e)),
          retryable_(kv_error_is_retryable(e)) {
        std::uint64_t ms = 0;
        if (kv_error_retry_after_ms(e, &ms)) retry_after_ms_ = ms;
    }
    kv_status kind() const noexcept { return kind_; }
    /** "rate_limited", ... */
    const char *kind_name() const noexcept { return kv_status_name(kind_); }
    const std::optional<std::string> &code() const noexcept { return code_; }
    /** The code as a `KV_CODE_*` value, for a `switch`; `KV_CODE_OTHER` when unknown. */
    kv_code code_id() const noexcept { return code_id_; }
    const std::optional<std::string> &parameter() const noexcept { return parameter_; }
    /** 0 when no answer was read. */
    std::uint16_t http_status() const noexcept { return http_status_; }
    std::optional<std::uint64_t> retry_after_ms() const noexcept { return retry_after_ms_; }
    bool is_retryable() const noexcept { return retryable_; }

  private:
    kv_status kind_;
    std::optional<std::string> code_;
    kv_code code_id_;
    std::optional<std::string> parameter_;
    std::uint16_t http_status_;
    bool retryable_;
    std::optional<std::uint64_t> retry_after_ms_;
};

/** Throws Error for a failed status, freeing the kv_error either way. `e` is taken by
 * reference so that it is read after the call that fills it (argument order is unspecified). */
inline void check(kv_status status, kv_error *&e) {
    std::unique_ptr<kv_error, decltype(&kv_error_free)> owned(e, kv_error_free);
    e = nullptr;
    if (status != KV_STATUS_OK) throw Error(owned.get());
}

struct Generated {
    std::string verify_id;
    std::optional<std::string> mobile, email, flow_id;
};

struct Validated {
    std::string verify_id, message;
    bool after_lost_attempt;
};

/** A request; unset fields are absent. */
struct GenerateRequest {
    std::optional<std::string> mobile, email, flow_id, otp;
};

/** Owns a kv_client; movable, not copyable; shareable between threads by reference. */
class Client {
  public:
    /** From the C options struct (read during the call only). */
    explicit Client(const kv_client_options &options) : ptr_(nullptr, kv_client_free) {
        kv_client *c = nullptr;
        kv_error *e = nullptr;
        check(kv_client_new(&options, &c, &e), e);
        ptr_.reset(c);
    }
    /** From KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION / KALEYRA_BASE_URL. */
    static Client from_env() {
        kv_client *c = nullptr;
        kv_error *e = nullptr;
        check(kv_client_new_from_env(&c, &e), e);
        return Client(c);
    }

    Generated generate(const GenerateRequest &r) const {
        kv_generate_request req{detail::c_str(r.mobile), detail::c_str(r.email),
                                detail::c_str(r.flow_id), detail::c_str(r.otp)};
        kv_generated *g = nullptr;
        kv_error *e = nullptr;
        check(kv_client_generate(ptr_.get(), &req, &g, &e), e);
        std::unique_ptr<kv_generated, decltype(&kv_generated_free)> owned(g, kv_generated_free);
        return Generated{kv_generated_verify_id(g), detail::opt(kv_generated_mobile(g)),
                         detail::opt(kv_generated_email(g)), detail::opt(kv_generated_flow_id(g))};
    }

    Validated validate(const std::string &verify_id, const std::string &otp) const {
        kv_validated *v = nullptr;
        kv_error *e = nullptr;
        check(kv_client_validate(ptr_.get(), verify_id.c_str(), otp.c_str(), &v, &e), e);
        std::unique_ptr<kv_validated, decltype(&kv_validated_free)> owned(v, kv_validated_free);
        return Validated{kv_validated_verify_id(v), kv_validated_message(v),
                         kv_validated_after_lost_attempt(v)};
    }

    /** The outcome (KV_CHECK_OUTCOME_*); throws only for failures of the system. */
    kv_check_outcome check_code(const std::string &verify_id, const std::string &otp) const {
        kv_check_outcome out = KV_CHECK_OUTCOME_NOT_FOUND;
        kv_error *e = nullptr;
        check(kv_client_check(ptr_.get(), verify_id.c_str(), otp.c_str(), &out, &e), e);
        return out;
    }

    const kv_client *get() const noexcept { return ptr_.get(); }

  private:
    explicit Client(kv_client *c) : ptr_(c, kv_client_free) {}
    std::unique_ptr<kv_client, decltype(&kv_client_free)> ptr_;
};

/** Owns a running emulator, for tests; stopped when destroyed. */
class Emulator {
  public:
    explicit Emulator(bool tls = false) : ptr_(nullptr, kv_emulator_free) {
        kv_emulator_options o{tls};
        kv_emulator *em = nullptr;
        kv_error *e = nullptr;
        check(kv_emulator_start(&o, &em, &e), e);
        ptr_.reset(em);
    }
    std::string base_url() const { return kv_emulator_base_url(ptr_.get()); }
    std::string sid() const { return kv_emulator_sid(ptr_.get()); }
    std::string api_key() const { return kv_emulator_api_key(ptr_.get()); }
    std::optional<std::string> ca_cert_pem() const {
        return detail::opt(kv_emulator_ca_cert_pem(ptr_.get()));
    }
    std::string last_code(const std::string &verify_id) const {
        char *code = nullptr;
        kv_error *e = nullptr;
        check(kv_emulator_last_code(ptr_.get(), verify_id.c_str(), &code, &e), e);
        std::unique_ptr<char, decltype(&kv_string_free)> owned(code, kv_string_free);
        return code;
    }
    void inject(const std::string &fault_json) const {
        kv_error *e = nullptr;
        check(kv_emulator_inject(ptr_.get(), fault_json.c_str(), &e), e);
    }
    void advance_clock(std::uint64_t ms) const {
        kv_error *e = nullptr;
        check(kv_emulator_advance_clock(ptr_.get(), ms, &e), e);
    }

  private:
    std::unique_ptr<kv_emulator, decltype(&kv_emulator_free)> ptr_;
};

}  // namespace kaleyra_verify

#endif
