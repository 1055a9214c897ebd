// Placeholder: the CCA module is being written.
