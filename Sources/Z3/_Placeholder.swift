// Placeholder: the Z3 module is being written.
