// Placeholder: the _TestSupport module is being written.
