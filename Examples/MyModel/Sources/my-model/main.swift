import CCAVerifyCLI
import MyModel

CCAVerifyTool.main(families: [Lock.family])
