pub mod case;
pub mod choose;
pub mod options;
pub mod quote;
