import CZ3

// MARK: - Sorts

extension Z3Context {
  /// Returns the Boolean sort.
  public func boolSort() throws(Z3Error) -> Z3Sort {
    Z3Sort(context: self, raw: try nonNull { Z3_mk_bool_sort($0) })
  }

  /// Returns the sort of bit-vectors of `width` bits.
  ///
  /// - Throws: ``Z3Error`` if `width` is not positive.
  public func bitVectorSort(width: Int) throws(Z3Error) -> Z3Sort {
    Z3Sort(context: self, raw: try rawBitVectorSort(width: width))
  }

  /// Returns the sort of arrays (total maps) from `domain` to `range`.
  public func arraySort(domain: Z3Sort, range: Z3Sort) throws(Z3Error) -> Z3Sort {
    let (d, r) = (own(domain), own(range))
    return Z3Sort(context: self, raw: try nonNull { Z3_mk_array_sort($0, d, r) })
  }

  /// Returns the uninterpreted sort called `name`: a nonempty set with no structure besides
  /// equality, whose size a model chooses.
  ///
  /// Calling this twice with the same name returns the same sort.
  public func uninterpretedSort(named name: String) throws(Z3Error) -> Z3Sort {
    let symbol = try symbol(name)
    return Z3Sort(context: self, raw: try nonNull { Z3_mk_uninterpreted_sort($0, symbol) })
  }

  /// Makes a raw bit-vector sort without wrapping it (Z3 keeps the most recent result alive
  /// until the next call that returns an object, which is long enough to use it once).
  func rawBitVectorSort(width: Int) throws(Z3Error) -> Z3_sort {
    guard width > 0 else {
      throw Z3Error(code: .invalidArgument, message: "bit-vector width must be positive, not \(width)")
    }
    let bits = try unsigned(width, "bit-vector width")
    return try nonNull { Z3_mk_bv_sort($0, bits) }
  }
}
