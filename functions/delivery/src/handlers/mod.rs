pub mod case_cancel;
pub mod case_move;
pub mod case_open;
pub mod choose;
pub mod options;
pub mod quote;
