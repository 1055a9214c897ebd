// Placeholder: the CCAVerifyTesting module is being written.
