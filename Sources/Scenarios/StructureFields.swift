import Spec

/// A field of a Non-secure structure an RMI command points to (RealmParams, RecParams, RecRun;
/// reference/rmm.md §1.6), with its byte offset and width, and the model parameter it feeds.
///
/// The model keeps no Non-secure memory: the fields a command reads are its parameters
/// (`params_vmid`, `enter_flags`; Docs/ADR/0004-rmm-model.md). A scenario writes fields into the
/// host's memory at an address (`write params RealmParams.vmid = 1`); a call then reads the
/// structure at the address in its pointer register, field by field, at the real offsets, so two
/// structures written to one granule overlap as they would in memory.
public struct StructureField: Hashable, Sendable {
  /// The structure's name in the specification (`RealmParams`).
  public let structure: String
  /// The field's name, dotted for nested fields (`vmid`, `enter.flags`).
  public let field: String
  /// The byte offset in the structure.
  public let offset: UInt64
  /// The width in bits (the value written must fit).
  public let bits: Int
  /// The model parameter the field feeds, or `nil` for a field the model does not (yet) read.
  public let parameter: String?
  /// For a field the RMM writes (RecRun.exit.*), the output of the actions that write it: an
  /// expected result may name the field instead of the output (`RecRun.exit.exit_reason=...`).
  public var output: String? = nil

  /// `RealmParams.vmid`.
  public var name: String { "\(structure).\(field)" }
}

/// A pointer register of an RMI command: the structure the command reads at its address.
public struct StructurePointer: Hashable, Sendable {
  /// The command (`RMI_REALM_CREATE`).
  public let action: String
  /// The register parameter holding the address (`x2`).
  public let register: String
  /// The structure at that address (`RealmParams`).
  public let structure: String
}

/// The one table mapping the specification's Non-secure structures onto the model's parameters.
///
/// Offsets and widths are RMM 1.0's (reference/rmm.md §1.6; TF-RMM 1.0 `smc-rmi.h`). Fields with
/// no parameter are known to the ABI but not read by the model: writing one is an input error,
/// because the model could not say what a conforming RMM returns for it.
public enum StructureFields {
  /// Every known field, by structure, in offset order.
  public static let all: [StructureField] = [
    StructureField(structure: "RealmParams", field: "flags", offset: 0x0, bits: 64, parameter: nil),
    StructureField(structure: "RealmParams", field: "s2sz", offset: 0x8, bits: 8, parameter: "params_s2sz"),
    StructureField(structure: "RealmParams", field: "sve_vl", offset: 0x10, bits: 8, parameter: nil),
    StructureField(structure: "RealmParams", field: "num_bps", offset: 0x18, bits: 8, parameter: nil),
    StructureField(structure: "RealmParams", field: "num_wps", offset: 0x20, bits: 8, parameter: nil),
    StructureField(structure: "RealmParams", field: "pmu_num_ctrs", offset: 0x28, bits: 8, parameter: nil),
    StructureField(
      structure: "RealmParams", field: "hash_algo", offset: 0x30, bits: 8, parameter: "params_hash_algo"),
    StructureField(structure: "RealmParams", field: "vmid", offset: 0x800, bits: 16, parameter: "params_vmid"),
    StructureField(
      structure: "RealmParams", field: "rtt_base", offset: 0x808, bits: 64, parameter: "params_rtt_base"),
    StructureField(
      structure: "RealmParams", field: "rtt_level_start", offset: 0x810, bits: 64,
      parameter: "params_rtt_level_start"),
    StructureField(
      structure: "RealmParams", field: "rtt_num_start", offset: 0x818, bits: 32, parameter: "params_rtt_num_start"),
    // RMM 1.1 MEC (reference/rmm.md §1.5): read by configurations with FEAT_MEC (per-realm).
    StructureField(structure: "RealmParams", field: "mecid", offset: 0x828, bits: 64, parameter: "params_mecid"),
    StructureField(structure: "RecParams", field: "flags", offset: 0x0, bits: 64, parameter: "params_flags"),
    StructureField(structure: "RecParams", field: "mpidr", offset: 0x100, bits: 64, parameter: "params_mpidr"),
    StructureField(structure: "RecParams", field: "pc", offset: 0x200, bits: 64, parameter: nil),
    StructureField(structure: "RecParams", field: "num_aux", offset: 0x800, bits: 64, parameter: "params_num_aux"),
  ] + (0..<16).map {
    // RecParams.aux[i]: the PA of REC auxiliary granule i (RecAuxCount of them are read).
    StructureField(
      structure: "RecParams", field: "aux[\($0)]", offset: 0x808 + 8 * UInt64($0), bits: 64, parameter: "params_aux\($0)")
  } + [
    StructureField(structure: "RecRun", field: "enter.flags", offset: 0x0, bits: 64, parameter: "enter_flags"),
    StructureField(structure: "RecRun", field: "enter.gicv3_hcr", offset: 0x300, bits: 64, parameter: nil),
    // RecRun.exit (at 0x800), written by the RMM when the REC exits: outputs of the realm's
    // moves that exit (REC_EXIT, PSCI_*, RSI_IPA_STATE_SET, RSI_HOST_CALL).
    StructureField(
      structure: "RecRun", field: "exit.exit_reason", offset: 0x800, bits: 64, parameter: nil, output: "exit_reason"),
    StructureField(structure: "RecRun", field: "exit.gprs[0]", offset: 0xA00, bits: 64, parameter: nil, output: "exit_gprs0"),
    StructureField(structure: "RecRun", field: "exit.gprs[1]", offset: 0xA08, bits: 64, parameter: nil, output: "exit_gprs1"),
    StructureField(
      structure: "RecRun", field: "exit.ripas_base", offset: 0xD00, bits: 64, parameter: nil, output: "exit_ripas_base"),
    StructureField(
      structure: "RecRun", field: "exit.ripas_top", offset: 0xD08, bits: 64, parameter: nil, output: "exit_ripas_top"),
    StructureField(
      structure: "RecRun", field: "exit.ripas_value", offset: 0xD10, bits: 8, parameter: nil, output: "exit_ripas_value"),
    StructureField(structure: "RecRun", field: "exit.imm", offset: 0xE00, bits: 16, parameter: nil, output: "exit_imm"),
  ]

  /// The commands' pointer registers.
  public static let pointers: [StructurePointer] = [
    StructurePointer(action: "RMI_REALM_CREATE", register: "x2", structure: "RealmParams"),
    StructurePointer(action: "RMI_REC_CREATE", register: "x3", structure: "RecParams"),
    StructurePointer(action: "RMI_REC_ENTER", register: "x2", structure: "RecRun"),
  ]

  /// The field with the given dotted name (`RealmParams.vmid`).
  public static func field(named name: String) -> StructureField? {
    all.first { $0.name == name }
  }

  /// The structure names.
  public static var structures: [String] {
    var seen: [String] = []
    for f in all where !seen.contains(f.structure) { seen.append(f.structure) }
    return seen
  }

  /// The fields a command's parameters come from: for each parameter fed by a structure the
  /// command points to, the field and the pointer register.
  static func fields(of action: Action) -> [(parameter: Int, field: StructureField, register: Int)] {
    var result: [(Int, StructureField, Int)] = []
    for pointer in pointers where pointer.action == action.name {
      guard let register = action.parameters.firstIndex(where: { $0.name == pointer.register }) else { continue }
      for field in all where field.structure == pointer.structure {
        guard let name = field.parameter, let p = action.parameters.firstIndex(where: { $0.name == name }) else {
          continue
        }
        result.append((p, field, register))
      }
    }
    return result
  }
}
