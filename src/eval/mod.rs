//! The evaluator: three-valued evaluation of typed expressions over a loaded constitution,
//! with every value carrying the spans that decided it.
