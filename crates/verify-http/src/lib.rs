//! The Kaleyra Verify client (under construction).
