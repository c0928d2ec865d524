//! Tuning with a schedule.
