//! payment's rules, free of AWS and HTTP: what counts as an entered gift-card code, and how
//! wrong codes are counted so that codes cannot be guessed by trying.

pub mod activation;
pub mod guessing;
pub mod payment;
