//! The engine: runs every rule of a policy set on a loaded constitution and turns the
//! outcomes (with blame) into diagnostics, applying waivers.
