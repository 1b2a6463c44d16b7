//! A stateful local Kaleyra Verify service (under construction).
