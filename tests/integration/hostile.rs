//! Hostile input and stream robustness (issue 8).
