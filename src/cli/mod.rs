//! The command line: flag parsing and one module per command, each callable from tests.
