// A user's three-line executable imports CCAVerifyCLI and its model module only: the modelling
// language (ModelFamily) and the catalogue come with it.
@_exported import Proving
@_exported import Spec
