//! payment's rules, free of AWS and HTTP: how a payment moves, what the timer does with one,
//! what counts as an entered gift-card code, and how wrong codes are counted against guessing.

pub mod activation;
pub mod guessing;
pub mod payment;
pub mod timer;
