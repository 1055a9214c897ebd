// Placeholder: the Explore module is being written.
