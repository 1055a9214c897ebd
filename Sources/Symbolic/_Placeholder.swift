// Placeholder: the Symbolic module is being written.
