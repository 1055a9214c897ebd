// The `cca-verify` executable: the command line of CCAVerifyCLI with the CCA model families.
import CCAVerifyCLI

CCAVerifyTool.main()
