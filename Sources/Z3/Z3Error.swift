import CZ3

/// An error reported by libz3, or by the wrapper when a Z3 call could not produce a usable result.
///
/// Every Z3 call that can fail goes through one helper on ``Z3Context`` that reads
/// `Z3_get_error_code` right after the call; a code other than `Z3_OK` becomes a thrown
/// `Z3Error` carrying Z3's own message (`Z3_get_error_msg`). Because the context's error handler is
/// disabled, Z3 records the error instead of calling `exit`, and the context stays usable.
public struct Z3Error: Error, Hashable, Sendable, CustomStringConvertible {
  /// A category of failure: Z3's error codes, plus the wrapper's own checks.
  public enum Code: Hashable, Sendable {
    /// A term was not type-correct (`Z3_SORT_ERROR`).
    ///
    /// libz3 4.8.12 reports most ill-sorted terms (e.g. `bvadd` of widths 8 and 16, or a bad
    /// `extract` range) as ``exception`` with a descriptive message, not with this code.
    case sortError
    /// An index was out of bounds (`Z3_IOB`), e.g. popping more scopes than were pushed.
    case indexOutOfBounds
    /// An argument was invalid (`Z3_INVALID_ARG`), e.g. an unknown solver parameter.
    case invalidArgument
    /// Parsing SMT-LIB2 text failed (`Z3_PARSER_ERROR`).
    case parserError
    /// Parser output was requested but none is available (`Z3_NO_PARSER`).
    case noParser
    /// A quantifier pattern was invalid (`Z3_INVALID_PATTERN`).
    case invalidPattern
    /// Z3 ran out of memory (`Z3_MEMOUT_FAIL`).
    case memoryFailure
    /// A file could not be accessed (`Z3_FILE_ACCESS_ERROR`).
    case fileAccessError
    /// Z3 failed internally (`Z3_INTERNAL_FATAL`).
    case internalFatal
    /// The call is not valid in the current state (`Z3_INVALID_USAGE`), e.g. asking for a model
    /// after an unsat check.
    case invalidUsage
    /// A reference count was decremented below zero (`Z3_DEC_REF_ERROR`).
    case decRefError
    /// Z3 raised an exception (`Z3_EXCEPTION`); the message has the details. In libz3 4.8.12
    /// this is the code for most ill-sorted terms, bad widths and unknown parameters.
    case exception
    /// Z3 returned a null handle without reporting an error.
    case nullResult
    /// A model evaluated an expression to something that is not a value of the requested kind
    /// (for example a bit-vector wider than 64 bits, or a term that is not a literal).
    case notAValue
    /// An error code this wrapper does not know (a newer libz3), with its raw value.
    case unknown(UInt32)

    /// Creates the Swift code for a C error code.
    init(_ code: Z3_error_code) {
      switch code {
      case Z3_SORT_ERROR: self = .sortError
      case Z3_IOB: self = .indexOutOfBounds
      case Z3_INVALID_ARG: self = .invalidArgument
      case Z3_PARSER_ERROR: self = .parserError
      case Z3_NO_PARSER: self = .noParser
      case Z3_INVALID_PATTERN: self = .invalidPattern
      case Z3_MEMOUT_FAIL: self = .memoryFailure
      case Z3_FILE_ACCESS_ERROR: self = .fileAccessError
      case Z3_INTERNAL_FATAL: self = .internalFatal
      case Z3_INVALID_USAGE: self = .invalidUsage
      case Z3_DEC_REF_ERROR: self = .decRefError
      case Z3_EXCEPTION: self = .exception
      default: self = .unknown(code.rawValue)
      }
    }
  }

  /// The category of the failure.
  public var code: Code
  /// The message: Z3's own text for Z3 errors, the wrapper's for its own checks.
  public var message: String

  /// Creates an error from a code and a message.
  ///
  /// - Parameters:
  ///   - code: The category of the failure.
  ///   - message: A readable explanation.
  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  /// A one-line rendering: the code and the message.
  public var description: String { "Z3 error (\(code)): \(message)" }
}
