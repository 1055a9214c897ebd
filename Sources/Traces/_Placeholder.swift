// Placeholder: the Traces module is being written.
