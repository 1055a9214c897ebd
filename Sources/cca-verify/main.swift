print("cca-verify: not yet built")
