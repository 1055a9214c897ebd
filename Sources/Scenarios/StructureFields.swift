import Spec

/// A field of a structure a command points to (RealmParams, RecParams, RecRun in the CCA
/// model), with its byte offset and width and the model parameter it feeds: the model's
/// ``ABIDescription/fields``.
///
/// A model keeps no Non-secure memory: the fields a command reads are its parameters. A scenario
/// writes fields into the host's memory at an address (`write params RealmParams.vmid = 1`); a
/// call then reads the structure at the address in its pointer register, field by field, at the
/// model's offsets, so two structures written to one granule overlap as they would in memory.
/// Fields with no parameter are known to the ABI but not read by the model: writing one is an
/// input error, because the model could not say what a conforming implementation returns for it.
public typealias StructureField = ABIDescription.Field

/// A pointer register of a command: the structure the command reads at its address
/// (``ABIDescription/pointers``).
public typealias StructurePointer = ABIDescription.Pointer

extension ABIDescription {
  /// The fields a command's parameters come from: for each parameter fed by a structure the
  /// command points to, the field and the pointer register.
  func structureFields(of action: Action) -> [(parameter: Int, field: Field, register: Int)] {
    var result: [(Int, Field, Int)] = []
    for pointer in pointers where pointer.action == action.name {
      guard let register = action.parameters.firstIndex(where: { $0.name == pointer.register }) else { continue }
      for field in fields where field.structure == pointer.structure {
        guard let name = field.parameter, let p = action.parameters.firstIndex(where: { $0.name == name }) else {
          continue
        }
        result.append((p, field, register))
      }
    }
    return result
  }
}
