/// The scalar field of BN254 (the group order r): circuit values, polynomial coefficients, scalars.
public enum FrParameters: MontgomeryParameters {
    @inlinable public static var p0: UInt64 { 0x43e1_f593_f000_0001 }
    @inlinable public static var p1: UInt64 { 0x2833_e848_79b9_7091 }
    @inlinable public static var p2: UInt64 { 0xb850_45b6_8181_585d }
    @inlinable public static var p3: UInt64 { 0x3064_4e72_e131_a029 }
    @inlinable public static var negInverse: UInt64 { 0xc2e1_f593_efff_ffff }
    @inlinable public static var one: (UInt64, UInt64, UInt64, UInt64) {
        (0xac96_341c_4fff_fffb, 0x36fc_7695_9f60_cd29, 0x666e_a36f_7879_462e, 0x0e0a_77c1_9a07_df2f)
    }
    @inlinable public static var rSquared: (UInt64, UInt64, UInt64, UInt64) {
        (0x1bb8_e645_ae21_6da7, 0x53fe_3ab1_e35c_59e3, 0x8c49_833d_53bb_8085, 0x0216_d0b1_7f4e_44a5)
    }
    @inlinable public static var rCubed: (UInt64, UInt64, UInt64, UInt64) {
        (0x5e94_d8e1_b4bf_0040, 0x2a48_9cbe_1cfb_b6b8, 0x893c_c664_a19f_cfed, 0x0cf8_594b_7fcc_657c)
    }
    public static var modulusDecimal: String {
        "21888242871839275222246405745257275088548364400416034343698204186575808495617"
    }
    public static var name: String { "Fr" }
    @inlinable public static var kernel: MontgomeryKernel { .fr }
}

/// The base field of BN254: coordinates of G1 points and the bottom of the pairing's extension tower.
public enum FqParameters: MontgomeryParameters {
    @inlinable public static var p0: UInt64 { 0x3c20_8c16_d87c_fd47 }
    @inlinable public static var p1: UInt64 { 0x9781_6a91_6871_ca8d }
    @inlinable public static var p2: UInt64 { 0xb850_45b6_8181_585d }
    @inlinable public static var p3: UInt64 { 0x3064_4e72_e131_a029 }
    @inlinable public static var negInverse: UInt64 { 0x87d2_0782_e486_6389 }
    @inlinable public static var one: (UInt64, UInt64, UInt64, UInt64) {
        (0xd35d_438d_c58f_0d9d, 0x0a78_eb28_f5c7_0b3d, 0x666e_a36f_7879_462c, 0x0e0a_77c1_9a07_df2f)
    }
    @inlinable public static var rSquared: (UInt64, UInt64, UInt64, UInt64) {
        (0xf32c_fc5b_538a_fa89, 0xb5e7_1911_d445_01fb, 0x47ab_1eff_0a41_7ff6, 0x06d8_9f71_cab8_351f)
    }
    @inlinable public static var rCubed: (UInt64, UInt64, UInt64, UInt64) {
        (0xb1cd_6daf_da15_30df, 0x62f2_10e6_a728_3db6, 0xef7f_0b0c_0ada_0afb, 0x20fd_6e90_2d59_2544)
    }
    public static var modulusDecimal: String {
        "21888242871839275222246405745257275088696311157297823662689037894645226208583"
    }
    public static var name: String { "Fq" }
    @inlinable public static var kernel: MontgomeryKernel { .fq }
}

public typealias Fr = MontgomeryField<FrParameters>
public typealias Fq = MontgomeryField<FqParameters>

extension MontgomeryField where Parameters == FrParameters {
    /// r − 1 = 2^28 · odd: radix-2 domains up to 2^28 exist.
    public static var twoAdicity: Int { 28 }

    /// A primitive 2^28-th root of unity: 5^((r−1)/2^28), 5 being a generator of Fr*.
    public static var maximalRootOfUnity: Fr {
        Fr(montgomeryLimbs: 0x636e_7355_80d1_3d9c, 0xa22b_f374_2445_ffd6, 0x5645_2ac0_1eb2_03d8, 0x1860_ef94_2963_f9e7)
    }

    /// The multiplicative generator used for cosets.
    public static var multiplicativeGenerator: Fr { Fr(5) }

    /// A primitive 2^log2Size-th root of unity.
    public static func rootOfUnity(log2Size: Int) -> Fr {
        precondition((0...twoAdicity).contains(log2Size), "no 2^\(log2Size)-th root of unity in Fr")
        var root = maximalRootOfUnity
        for _ in log2Size..<twoAdicity { root = root.squared() }
        return root
    }
}
