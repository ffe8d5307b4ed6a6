import ConstraintSystem
import FieldArithmetic
import Quantization

/// Where each element, public value and equation of the model sits among the committed relation's producer and
/// receiver indices (docs/protocol.md §19.3; the slot layout is described on `CompiledCircuit`).
public struct RelationIndexing: Sendable {
    public let plan: CircuitPlan
    public let layout: CircuitLayout

    public init(plan: CircuitPlan, layout: CircuitLayout) {
        self.plan = plan
        self.layout = layout
    }

    var producerSlots: Int { layout.producerSlots }
    var receiverSlots: Int { layout.receiverSlots }

    /// Produced value `value` of lane `index` of `group`.
    public func producer(group: Int, index: Int, value: Int) -> Int {
        let place = layout.placement(group: group, index: index)
        return place.row * producerSlots + layout.producerSlot(lane: place.slot, value: value)
    }

    /// Port `port` of lane `index` of `group`.
    public func receiver(group: Int, index: Int, port: Int) -> Int {
        let place = layout.placement(group: group, index: index)
        return place.row * receiverSlots + layout.receiverSlot(lane: place.slot, port: port)
    }

    /// Public value k (inputs first, then outputs): column k / u, row k mod u.
    public func publicProducer(_ k: Int) -> Int {
        let length = layout.publicColumnLength
        return (k % length) * producerSlots + layout.laneProducerSlots + k / length
    }

    /// The constant 1.
    public var constantProducer: Int {
        let slot = layout.constantSlotIsOwn ? producerSlots - 1 : layout.laneProducerSlots + layout.publicColumns - 1
        return layout.constantRow * producerSlots + slot
    }

    /// The z-th equation no lane receives.
    public func zeroReceiver(_ z: Int) -> Int { layout.laneRows * receiverSlots + z }
}

extension CompiledCircuit {
    /// One entry W[i][j] += weight of the relation.
    struct Entry {
        let receiver: Int
        let producer: Int
        let weight: Int64
        /// Part of a link (`LinearSystem.links`) or of a lane's own consistency entry: architecture, not a weight,
        /// so the relation may carry it as a public constant term.
        var link = false
    }

    /// Every equation of `system` as entries of W over relation indices, plus the entries that keep lanes
    /// without an equation consistent (a padding lane's received value is a constant of its gadget; a private
    /// input's receiver equals its own produced value).
    static func entries(plan: CircuitPlan, layout: CircuitLayout, system: LinearSystem) throws -> [Entry] {
        let index = RelationIndexing(plan: plan, layout: layout)
        var receiverOf = [Int](repeating: 0, count: system.equationCount)
        var zero = 0
        var received = Set<Int>()
        for (p, r) in system.receivers.enumerated() {
            if let r {
                receiverOf[p] = index.receiver(group: r.group, index: r.index, port: r.port)
                received.insert(receiverOf[p])
            } else {
                receiverOf[p] = index.zeroReceiver(zero)
                zero += 1
            }
        }
        guard zero <= layout.zeroReceiverCount else {
            throw CompilerError.witnessMismatch("\(zero) unreceived equations, the layout has room for \(layout.zeroReceiverCount)")
        }
        var entries: [Entry] = []
        for (p, c) in system.constants.enumerated() where c != 0 {
            entries.append(Entry(receiver: receiverOf[p], producer: index.constantProducer, weight: c, link: system.links[p]))
        }
        for (g, group) in plan.groups.enumerated() {
            for lane in 0..<group.count {
                for term in system.laneTerms[system.groupStart[g] + lane] {
                    entries.append(Entry(receiver: receiverOf[term.power], producer: index.producer(group: g, index: lane, value: term.value),
                                         weight: term.weight, link: system.links[term.power]))
                }
            }
        }
        for (k, terms) in system.publicTerms.enumerated() {
            for term in terms {
                entries.append(Entry(receiver: receiverOf[term.power], producer: index.publicProducer(k), weight: term.weight,
                                     link: system.links[term.power]))
            }
        }
        // Lanes and ports without an equation.
        for (g, group) in plan.groups.enumerated() {
            let gadget = group.kind.gadget
            let slots = layout.groupRows[g].count * layout.lanesOfGroup[g]
            let padding = try paddingReceived(gadget)
            for lane in 0..<slots {
                for port in 0..<gadget.receivedCount {
                    let i = index.receiver(group: g, index: lane, port: port)
                    if lane >= group.count {
                        if padding[port] != 0 {
                            entries.append(Entry(receiver: i, producer: index.constantProducer, weight: padding[port], link: true))
                        }
                    } else if !group.receives {
                        // A private input: its lane receives 2^0·q = its own value (identity rescale, no remainder).
                        guard case .rescale(let r) = group.kind, r.shift == 0, port == 0 else {
                            throw CompilerError.witnessMismatch("a lane group without equations must be an identity rescale")
                        }
                        entries.append(Entry(receiver: i, producer: index.producer(group: g, index: lane, value: 0), weight: 1, link: true))
                    } else if !received.contains(i) {
                        // Softmax: a row's first lane holds the row maximum it produces itself (port 1 = m).
                        guard case .softmax = group.kind, port == 1 else {
                            throw CompilerError.witnessMismatch("port \(port) of lane \(lane) in layer '\(plan.layers[group.layer].name)' receives no equation")
                        }
                        entries.append(Entry(receiver: i, producer: index.producer(group: g, index: lane, value: SoftmaxGadget.Produced.maximum.rawValue),
                                             weight: 1, link: true))
                    }
                }
            }
        }
        return entries
    }

    /// The received values of a padding lane (its gadget's `paddingInputs`), as integers.
    static func paddingReceived(_ gadget: any LaneGadget) throws -> [Int64] {
        let (limbValues, freeValues) = try gadget.witness(gadget.paddingInputs)
        let cells = LaneCells(limbs: limbValues.map { Expression.constant(Fr(signed: $0)) },
                              free: freeValues.map { Expression.constant(Fr(signed: $0)) })
        return try gadget.received(cells).map { e in
            let v = e.evaluate(query: { _ in .zero }, challenge: { _ in .zero })
            guard let n = signedInteger(v) else { throw CompilerError.witnessMismatch("\(gadget.name): padding receives a non-integer") }
            return n
        }
    }

    static func signedInteger(_ value: Fr) -> Int64? {
        let c = value.canonicalLimbs
        if c.1 == 0, c.2 == 0, c.3 == 0, c.0 < 1 << 62 { return Int64(c.0) }
        let n = (-value).canonicalLimbs
        if n.1 == 0, n.2 == 0, n.3 == 0, n.0 <= 1 << 62 { return -Int64(n.0) }
        return nil
    }

    /// The relation (docs/protocol.md §19.9): the structured convolutions' terms (`ConvolutionTerms`), and every
    /// other entry of W covered by M × N blocks per (receiver slot, producer slot) pair (channel strides R′ = R,
    /// V′ = V, so a block is consecutive rows of one slot pair; `RelationTiling`). M·N = 2^ℓ ≤ rows (the builder
    /// requires 2^ℓ ≤ n). The block size is the one of least `splitCost`: key bytes (blocks cost their commitment
    /// and an MSM term, terms their offsets and boxes) plus the Gemini opening the prover pays for 2^ℓ
    /// coefficients. ℓ is searched downwards from log2 rows, one level past the best (fewer coefficients mean more
    /// blocks, so the cost turns up); below log2 rows only the best level's split and its neighbour are tried.
    /// `split`, when given and in range, is taken instead of searched.
    static func relation(plan: CircuitPlan, layout: CircuitLayout, system: LinearSystem, model: QuantizedModel, rho: Challenge,
                         s: Challenge, split: BlockSplit? = nil) throws -> LinearRelation
    {
        let entries = try entries(plan: plan, layout: layout, system: system)
        let tiling = try RelationTiling(entries: entries, receiverSlots: layout.receiverSlots, producerSlots: layout.producerSlots)
        typealias Cover = (blocks: [WeightBlock], terms: [LinearTerm])
        func cover(_ logM: Int, _ logN: Int) throws -> (cost: Double, cover: Cover) {
            let structured = layout.structuredConvolutions.reduce(0) {
                $0 + ConvolutionTerms.blockCount($1, plan: plan, logM: logM, logN: logN)
            }
            let (blocks, terms) = try tiling.cover(logM: logM, logN: logN)
            // Key bytes (format 3): per block its commitment and shape (≈ 34), per term ≈ 8 + 7 per box dimension
            // (structured convolutions: about two 3-dimensional terms per block).
            let bytes = 34 * blocks.count + terms.reduce(0) { $0 + 8 + 7 * $1.box.count } + (34 + 2 * 29) * structured
            return (Double(bytes) + splitCost(variables: logM + logN), (blocks, terms))
        }
        var best: (split: BlockSplit, cost: Double, cover: Cover)? = nil
        if let split, split.log2Rows >= 0, split.log2Columns >= 0, (1...layout.log2Rows).contains(split.variables) {
            let (cost, c) = try cover(split.log2Rows, split.log2Columns)
            best = (split, cost, c)
        } else {
            for ell in stride(from: layout.log2Rows, through: 1, by: -1) {
                let splits = best.map { b in Set([b.split.log2Rows, b.split.log2Rows - 1]).filter { (0...ell).contains($0) }.sorted() }
                    ?? Array(0...ell)
                var level: (split: BlockSplit, cost: Double, cover: Cover)? = nil
                for a in splits {
                    let (cost, c) = try cover(a, ell - a)
                    if level == nil || cost < level!.cost { level = (BlockSplit(log2Rows: a, log2Columns: ell - a), cost, c) }
                }
                guard let level else { break }
                if let b = best, level.cost >= b.cost { break }
                best = level
            }
        }
        guard let best else { throw CompilerError.invalidOptions("no block size for the linear relation") }
        let (logM, logN) = (best.split.log2Rows, best.split.log2Columns)
        var (blocks, terms) = best.cover
        // Structured convolutions (§19.9): a block per (tap, channel tile), a term per run of output rows.
        let convolutions = ConvolutionTerms(plan: plan, layout: layout, model: model, index: RelationIndexing(plan: plan, layout: layout))
        for c in layout.structuredConvolutions { try convolutions.emit(c, logM: logM, logN: logN, blocks: &blocks, terms: &terms) }
        let shape = try LinearRelationShape(
            rho: rho, s: s, receiverCount: layout.runRows * layout.receiverSlots, producerCount: layout.runRows * layout.producerSlots,
            receiverChannelStride: layout.receiverSlots, producerChannelStride: layout.producerSlots, log2BlockRows: logM,
            log2BlockColumns: logN, blockShapes: blocks.map { .init(rows: $0.rows, columns: $0.columns) }, terms: terms)
        return try LinearRelation(shape: shape, blocks: blocks)
    }

    /// The prover's Gemini opening of 2^ℓ coefficients in key bytes: three dense opening witnesses and the folds
    /// cost ≈ 10–25 µs of prover CPU per coefficient (6.4 ms at 2^8, 42 ms at 2^12), a block ≈ 34 key bytes and one
    /// term of the verifier's MSM; one key byte per four coefficients halves the coefficients of embedding_mean_text
    /// (868 entries, 2^12 rows) twice for a few blocks, and keeps a model whose blocks would double (nanogpt_block).
    static func splitCost(variables ell: Int) -> Double { Double(1 << ell) / 4 }
}
