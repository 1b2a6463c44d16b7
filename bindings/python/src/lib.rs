//! The native module `kaleyra_verify._native`: the Rust client, its errors and the
//! emulator, projected into Python. It translates types and errors only; every decision
//! (validation, retries, limits) is verify-core's or verify-http's. The hand-written
//! package `python/kaleyra_verify` builds the Python-facing classes on top of it.

mod aio;
mod client;
mod config;
mod error;
mod generate;
mod logging;
mod surface;
mod testing;
mod validate;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<aio::AsyncClient>()?;
    m.add_class::<generate::Generated>()?;
    m.add_class::<validate::Validated>()?;
    m.add_class::<testing::Emulator>()?;
    m.add_function(wrap_pyfunction!(error::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(error::codes, m)?)?;
    m.add_function(wrap_pyfunction!(validate::check_outcomes, m)?)?;
    m.add_function(wrap_pyfunction!(error::register_errors, m)?)?;
    m.add_function(wrap_pyfunction!(validate::register_outcomes, m)?)?;
    m.add_function(wrap_pyfunction!(logging::refresh_log_level, m)?)?;
    logging::install(m.py())?;
    Ok(())
}
