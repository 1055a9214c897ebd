// Placeholder: the Proving module is being written.
