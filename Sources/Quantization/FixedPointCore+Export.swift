// The rounding rules, the settings and the input-file format live one target down (`FixedPointCore`), so
// that `zkverify` can quantize an input file without linking the model code; users of Quantization see
// them as before.
@_exported import FixedPointCore
