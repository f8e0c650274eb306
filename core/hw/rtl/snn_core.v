// SNN Studio: time-multiplexed, layer-sequential LIF core for iCE40 (docs/hardware.md).
// One design for every graph: the graph is data (snn_config.vh, snn_layers.vh, weights.mem,
// bias.mem). Per sample, membranes start at the bias; the steps run in blocks of BLOCK steps.
// - Raster: the input generator decides every input's spikes at all steps of the block at once
//   (BLOCK top bytes per cycle: the state IN_SIZE steps later is a fixed GF(2) map of it) and
//   lists the inputs that spike in the block, each with its BLOCK-bit mask of steps.
// - Then each layer in turn, one group of LANES neurons at a time: each listed source's weight
//   word is read once and added into the current of every step its mask names (BLOCK x LANES
//   exact sums); the group's membranes then run through the block's steps (v = sat(v + I),
//   threshold, reset, leak, bias), and the group's neurons that spiked are listed, with their
//   masks, for the next layer. Silent sources cost nothing.
`include "snn_defines.vh"
module snn_core(clk, rst, in_we, in_addr, in_data, start, busy, done, out_addr, out_count,
                out_class, image, trace_we, trace_spikes, trace_vin, trace_v, trace_step,
                trace_layer, trace_group
`ifdef SNN_SPRAM
                , flash_sck, flash_csn, flash_mosi, flash_miso, loaded
`endif
                );
`include "snn_config.vh"
    input clk;
    input rst;
    input in_we;
    input [IAW-1:0] in_addr;
    input [7:0] in_data;
    input start;
    output reg busy;
    output reg done;
    input [OAW-1:0] out_addr;
    output [CW-1:0] out_count;
    output reg [OAW-1:0] out_class;
    // The weight image's state (IMG_* in snn_config.vh): IMG_BUILTIN for weights in EBR; from
    // flash IMG_LOADING, then IMG_OK or the reason the core refuses to run.
    output [2:0] image;
    // The sweeps, for testbenches that check inside (left open on the board, where synthesis
    // drops them): in each cycle with trace_we, one group's spikes, the membranes the sweep read
    // (after the step's input) and those it writes for the next step, with the step, layer and
    // group they belong to.
    output trace_we;
    output [LANES-1:0] trace_spikes;
    output [LANES*MB-1:0] trace_vin;
    output [LANES*MB-1:0] trace_v;
    output [7:0] trace_step;
    output [LW-1:0] trace_layer;
    output [GAW-1:0] trace_group;
`ifdef SNN_SPRAM
    output reg flash_sck;
    output reg flash_csn;
    output reg flash_mosi;
    input flash_miso;
    output reg loaded;
    reg [2:0] ld_image;
    assign image = ld_image;
`else
    wire loaded = 1'b1;
    assign image = IMG_BUILTIN; // (a continuous assignment: defined from time 0 in simulation)
`endif

    localparam S_IDLE = 4'd0, S_INIT = 4'd1, S_RBEGIN = 4'd2, S_RAST = 4'd3, S_GBEGIN = 4'd4,
               S_GACC = 4'd5, S_PB = 4'd6, S_LIST = 4'd7, S_BEND = 4'd8, S_CLASS = 4'd9,
               S_DONE = 4'd10;

    reg [3:0] state;
    reg [LW-1:0] layer;
    reg [7:0] blk;       // the block
    reg [7:0] t0;        // its first step
    reg [7:0] tb;        // the step within the block (S_PB)
    reg [1:0] ph;        // the cycle within a step (S_PB)
    reg [JW:0] j;        // the input decided this cycle (S_RAST)
    reg [JW:0] jn;       // j + 1: the intensities are read one input ahead
    reg [LAW:0] na;      // entries in the list this layer reads
    reg [LAW:0] no;      // entries in the list this layer writes (for the next)
    reg [LAW:0] a;       // the entry read this cycle (S_GACC)
    reg [LANE_BITS:0] ln; // the lane listed this cycle (S_LIST)
    reg [GAW:0] gc;      // the group
    reg [WAW-1:0] ocol;  // the weight column of the source listed next
    reg [VAW-1:0] vp;    // the membrane (and bias) word read this cycle
    reg [VAW-1:0] wb_va; // the membrane word written back this cycle (read the cycle before)
    reg [GAW-1:0] wb_g;  // and its group within the layer
    // What the write-back stage writes: v = b, v = sat(v + I), or the sweep.
    reg wb_init, wb_pb, wb_swp;
    reg acc_en;          // the weight word read now belongs to a listed source (S_GACC)
    reg [BLOCK-1:0] acc_mask;      // and the steps it spiked at
    reg [LANES*BLOCK-1:0] smask;   // the group's spikes in the block, BLOCK bits per lane
    reg [31:0] lfsr;
    reg [OAW-1:0] ci;
    reg [CW-1:0] best;
    reg start_pending; // a start that came while the weights were loading
    wire go = (state == S_IDLE) && (start || start_pending) && loaded;
    wire [7:0] nb = (blk == NBLK - 1) ? LAST_BLOCK : BLOCK; // steps in this block

    // The layer table (generated): sizes, memory bases, threshold, reset mode, the next layer's
    // first weight word and groups, the leak (leak_of: each layer's constant shift); the
    // generator's state at each block's first decision (BLK_STATE) and the jumps of IN_SIZE steps
    // (JUMP).
    reg [JW:0] L_N;
    reg [GAW:0] L_G;
    reg [VAW-1:0] L_VBASE;
    reg [WAW-1:0] L_OWBASE;
    reg [GAW:0] L_OG;
    reg signed [MB-1:0] L_THR;
    reg L_ZERO;
    reg [31:0] BLK_STATE;
`include "snn_layers.vh"

    // Saturation by the top bits (no comparators): x is in range when its top bits agree.
    function [MB-1:0] sat;
        input signed [MB+1:0] x;
        begin
            if (x[MB+1:MB-1] == 3'b000 || x[MB+1:MB-1] == 3'b111)
                sat = x[MB-1:0];
            else if (x[MB+1])
                sat = {1'b1, {MB - 1{1'b0}}};
            else
                sat = {1'b0, {MB - 1{1'b1}}};
        end
    endfunction
    localparam SW = (AW > MB ? AW : MB) + 2; // a membrane plus a current
    function [MB-1:0] satw;
        input signed [SW-1:0] x;
        begin
            if (&x[SW-1:MB-1] || ~|x[SW-1:MB-1])
                satw = x[MB-1:0];
            else if (x[SW-1])
                satw = {1'b1, {MB - 1{1'b0}}};
            else
                satw = {1'b0, {MB - 1{1'b1}}};
        end
    endfunction

    // Input intensities, written by the host; the raster reads input j + 1 while deciding j.
    (* ram_style = "block" *)
    reg [7:0] in_mem [0:IN_SIZE-1];
    reg [7:0] in_rdata;
    wire [JW:0] j_rd = (state == S_RAST) ? jn : {JW + 1{1'b0}};
    always @(posedge clk)
        if (in_we)
            in_mem[in_addr] <= in_data;
    always @(posedge clk)
        in_rdata <= in_mem[j_rd[IAW-1:0]];

    // The input generator: xorshift32. lfsr holds the state that decides input j at the block's
    // first step; row r of JUMP's part k gives bit 24 + r of the state IN_SIZE x k advances later.
    wire [31:0] x1 = lfsr ^ (lfsr << 13);
    wire [31:0] x2 = x1 ^ (x1 >> 17);
    wire [31:0] lfsr_next = x2 ^ (x2 << 5);
    wire [BLOCK-1:0] in_mask;
    genvar k, r;
    generate
        for (k = 0; k < BLOCK; k = k + 1) begin : step_gen
            wire [7:0] top;
            for (r = 0; r < 8; r = r + 1) begin : row
                assign top[r] = ^(lfsr & JUMP[(k * 8 + r) * 32 +: 32]);
            end
            assign in_mask[k] = (top < in_rdata) && (k < nb);
        end
    endgenerate

    // The lists of spiking sources, each entry the source's first weight word and its mask:
    // list 0 holds the raster's and the odd layers' output, list 1 the even layers'. A layer reads
    // one and writes the other.
    wire [BLOCK-1:0] lane_masks [0:LANES-1];
    genvar p;
    generate
        for (p = 0; p < LANES; p = p + 1) begin : lane_mask_of
            assign lane_masks[p] = smask[p * BLOCK +: BLOCK];
        end
    endgenerate
    wire [BLOCK-1:0] out_mask = (state == S_RAST) ? in_mask : lane_masks[ln[LANE_BITS:0]];
    wire list_we = (state == S_RAST || state == S_LIST) && |out_mask;
    wire [WAW+BLOCK-1:0] list_wdata = {ocol, out_mask};
    (* ram_style = "block" *)
    reg [WAW+BLOCK-1:0] list0 [0:LIST0_DEPTH-1];
    (* ram_style = "block" *)
    reg [WAW+BLOCK-1:0] list1 [0:LIST1_DEPTH-1];
    reg [WAW+BLOCK-1:0] list0_q, list1_q;
    wire [LAW-1:0] list_ra = (state == S_GBEGIN) ? {LAW{1'b0}} : a[LAW-1:0];
    always @(posedge clk) begin
        if (list_we && (state == S_RAST || layer[0]))
            list0[no[LAW-1:0]] <= list_wdata;
        list0_q <= list0[list_ra];
    end
    always @(posedge clk) begin
        if (list_we && state == S_LIST && !layer[0])
            list1[no[LAW-1:0]] <= list_wdata;
        list1_q <= list1[list_ra];
    end
    wire [WAW+BLOCK-1:0] list_q = layer[0] ? list1_q : list0_q;
    // The weight word read this cycle: the listed source's column at group gc.
    wire [WAW-1:0] w_addr = list_q[WAW+BLOCK-1:BLOCK] + gc[GAW-1:0];

    // Weights: one word per (layer, source, group) holding LANES signed WB-bit weights.
    reg [LANES*WB-1:0] w_rdata;
`ifdef SNN_SPRAM
    // In the UP5K's SPRAM (16K x 16 per block), which the bitstream cannot initialise: loaded at
    // start-up from the SPI flash (FLASH_OFFSET, two bytes per 16-bit piece of a word, low byte
    // first, in the order below) after a 16-byte header (8 words: magic, length, design hash,
    // CRC-32/MPEG-2 of the words). A header that is not this design's stops the load (a magic of all ones: erased, or
    // a flash that did not answer); the CRC is checked at the end.
    localparam LD_WAKE = 3'd0, LD_GAP = 3'd1, LD_CMD = 3'd2, LD_DATA = 3'd3, LD_DONE = 3'd4,
               LD_CHECK = 3'd5, LD_END = 3'd6;
    localparam [31:0] IMAGE_BYTES = W_DEPTH * SPW * 2;
    localparam [127:0] HEADER = {32'h0, WEIGHTS_HASH, IMAGE_BYTES, FLASH_MAGIC};
    reg [2:0] ld_state;
    reg [31:0] ld_shift;
    reg [5:0] ld_bits;
    reg [15:0] ld_gap;    // the wake-up wait (FLASH_WAKE_CLKS, from the clock: tRES1)
    reg [15:0] ld_word;
    reg [3:0] ld_nbits;
    reg [16:0] ld_addr;
    reg ld_we;
    reg ld_got;
    reg [15:0] ld_data;
    reg [3:0] ld_hdr;     // header words read (8: the weights follow)
    reg [2:0] ld_verdict; // the header's first fault (IMG_OK when none)
    reg [31:0] ld_crc;    // over the weight bits as they arrive
    reg [31:0] ld_expect; // the header's CRC
    wire [15:0] hdr_word = HEADER[ld_hdr[2:0] * 16 +: 16];
    always @(posedge clk) begin
        ld_we <= 1'b0;
        if (rst) begin
            ld_state <= LD_WAKE;
            flash_csn <= 1'b1;
            flash_sck <= 1'b0;
            flash_mosi <= 1'b0;
            ld_shift <= {8'hAB, 24'h0}; // release from deep power-down
            ld_bits <= 6'd8;
            ld_gap <= 16'd0;
            ld_addr <= 17'd0;
            ld_nbits <= 4'd0;
            ld_got <= 1'b0;
            ld_hdr <= 4'd0;
            ld_verdict <= IMG_OK;
            ld_crc <= 32'hffffffff;
            loaded <= 1'b0;
            ld_image <= IMG_LOADING;
        end else begin
            case (ld_state)
                LD_WAKE, LD_CMD: begin
                    flash_csn <= 1'b0;
                    if (!flash_sck && !flash_csn) begin
                        flash_sck <= 1'b1; // the flash samples MOSI on this rising edge
                        ld_shift <= ld_shift << 1;
                        ld_bits <= ld_bits - 1'b1;
                    end else begin
                        flash_sck <= 1'b0;
                        flash_mosi <= ld_shift[31];
                        if (ld_bits == 0) begin
                            if (ld_state == LD_WAKE) begin
                                flash_csn <= 1'b1;
                                ld_state <= LD_GAP;
                            end else
                                ld_state <= LD_DATA;
                        end
                    end
                end
                LD_GAP: begin // the flash's tRES1 after the release, before the next command
                    ld_gap <= ld_gap + 1'b1;
                    if (ld_gap == FLASH_WAKE_CLKS - 1) begin
                        ld_shift <= {8'h03, FLASH_ADDR};
                        ld_bits <= 6'd32;
                        ld_state <= LD_CMD;
                    end
                end
                LD_DATA:
                    if (!flash_sck) begin
                        flash_sck <= 1'b1; // sample the bit the flash drove after the fall
                        ld_word <= {ld_word[14:0], flash_miso};
                        ld_nbits <= ld_nbits + 1'b1;
                        if (ld_hdr[3])
                            ld_crc <= {ld_crc[30:0], 1'b0} ^
                                      ((ld_crc[31] ^ flash_miso) ? 32'h04C11DB7 : 32'h0);
                        if (ld_nbits == 4'd15) begin
                            ld_got <= 1'b1;
                            ld_we <= ld_hdr[3];
                            ld_data <= {ld_word[6:0], flash_miso, ld_word[14:7]};
                        end
                    end else begin
                        flash_sck <= 1'b0;
                        ld_got <= 1'b0;
                        if (ld_got) begin
                            if (!ld_hdr[3]) begin
                                // Words 0-1 magic, 2-3 length, 4-5 hash, 6-7 CRC.
                                if (ld_hdr[2:1] == 2'd3)
                                    ld_expect <= {ld_data, ld_expect[31:16]};
                                else if (ld_data != hdr_word && ld_verdict == IMG_OK)
                                    ld_verdict <= ld_hdr[2:1] == 2'd0 ?
                                                      (&ld_data ? IMG_MISSING : IMG_MAGIC) :
                                                  ld_hdr[2:1] == 2'd1 ? IMG_LENGTH : IMG_STALE;
                                ld_hdr <= ld_hdr + 1'b1;
                                if (ld_hdr == 4'd7)
                                    ld_state <= LD_CHECK;
                            end else begin
                                if (ld_addr == W_DEPTH * SPW - 1) begin
                                    flash_csn <= 1'b1;
                                    ld_state <= LD_END;
                                end
                                ld_addr <= ld_addr + 1'b1;
                            end
                        end
                    end
                LD_CHECK: // the clock rests low: the read goes on, or stops at a bad header
                    if (ld_verdict != IMG_OK) begin
                        flash_csn <= 1'b1;
                        ld_image <= ld_verdict;
                        ld_state <= LD_DONE;
                    end else
                        ld_state <= LD_DATA;
                LD_END: begin
                    loaded <= ld_crc == ld_expect;
                    ld_image <= ld_crc == ld_expect ? IMG_OK : IMG_CRC;
                    ld_state <= LD_DONE;
                end
                default: ;
            endcase
        end
    end
    // A word is SPW 16-bit pieces (SPW x 16 >= LANES x WB bits), its lowest bits in piece 0.
    // Piece p of word w is at q = p x SP_STRIDE + w: block q / 16K, address q % 16K
    // (hw::spramLayout). Side by side (SP_STRIDE 16K) piece p is in block p (one piece: words
    // beyond 16K in the next blocks); striped (SP_STRIDE = W_DEPTH >= 16K, several pieces) a
    // word's pieces are 16K or more apart, so in different blocks.
    // The flash holds the pieces word by word side by side (a word's pieces together), in q order
    // striped; ld_q is where the loaded piece goes.
    wire [1:0] ld_piece = ld_addr[1:0] & (SPW - 1);
    wire [15:0] ld_waddr = ld_addr[15:0] >> SPW_BITS;
    wire [15:0] ld_q = SP_STRIPED ? ld_addr[15:0] : {ld_piece, 14'd0} | ld_waddr;
    // This cycle's read: piece p at q_p (a constant add), in block q_p / 16K (a block holds at
    // most one of them; piece 0's address where none); the block each piece came from, a cycle
    // later, picks the pieces of w_rdata.
    reg [4*18-1:0] rd_q;
    reg [4*2-1:0] rd_block;
    reg [4*14-1:0] sp_addr;
    integer rp, rb, rs;
    always @* begin
        for (rp = 0; rp < 4; rp = rp + 1) begin
            rd_q[rp * 18 +: 18] = rp * SP_STRIDE + w_addr;
            rd_block[rp * 2 +: 2] = rd_q[rp * 18 + 14 +: 2];
        end
        for (rb = 0; rb < 4; rb = rb + 1) begin
            sp_addr[rb * 14 +: 14] = loaded ? rd_q[13:0] : ld_q[13:0];
            if (loaded)
                for (rs = 1; rs < SPW; rs = rs + 1)
                    if (rd_block[rs * 2 +: 2] == rb)
                        sp_addr[rb * 14 +: 14] = rd_q[rs * 18 +: 14];
        end
    end
    reg [4*2-1:0] sp_from;
    always @(posedge clk)
        sp_from <= rd_block;
    wire [15:0] sp_out [0:3];
    genvar sp;
    generate
        for (sp = 0; sp < 4; sp = sp + 1) begin : spram
            if (sp < SP_BLOCKS) begin : used
                SB_SPRAM256KA ram(.ADDRESS(sp_addr[sp * 14 +: 14]), .DATAIN(ld_data),
                                  .MASKWREN(4'b1111), .WREN(ld_we && ld_q[15:14] == sp),
                                  .CHIPSELECT(1'b1), .CLOCK(clk), .STANDBY(1'b0), .SLEEP(1'b0),
                                  .POWEROFF(1'b1), .DATAOUT(sp_out[sp]));
            end else begin : unused
                assign sp_out[sp] = 16'd0;
            end
        end
    endgenerate
    reg [63:0] sp_word;
    integer piece;
    always @* begin
        sp_word = 64'd0;
        for (piece = 0; piece < SPW; piece = piece + 1)
            sp_word[piece * 16 +: 16] = sp_out[sp_from[piece * 2 +: 2]];
        w_rdata = sp_word[LANES*WB-1:0];
    end
`else
    (* ram_style = "block" *)
    reg [LANES*WB-1:0] w_mem [0:W_DEPTH-1];
    initial $readmemh("weights.mem", w_mem);
    always @(posedge clk)
        w_rdata <= w_mem[w_addr];
`endif

    // Membranes and biases: one word per (layer, group) holding LANES signed MB-bit values. Read
    // at vp; written back the next cycle at wb_va.
    (* ram_style = "block" *)
    reg [LANES*MB-1:0] v_mem [0:V_DEPTH-1];
    reg [LANES*MB-1:0] v_rdata;
    wire v_we = wb_init || wb_pb || wb_swp;
    reg [LANES*MB-1:0] v_wdata;
    always @(posedge clk)
        v_rdata <= v_mem[vp];
    always @(posedge clk)
        if (v_we)
            v_mem[wb_va] <= v_wdata;

    wire [LANES*MB-1:0] b_rdata;
    generate
        if (HAS_BIAS) begin : with_bias
            (* ram_style = "block" *)
            reg [LANES*MB-1:0] b_mem [0:V_DEPTH-1];
            reg [LANES*MB-1:0] b_q;
            initial $readmemh("bias.mem", b_mem);
            always @(posedge clk)
                b_q <= b_mem[vp];
            assign b_rdata = b_q;
        end else begin : without_bias
            assign b_rdata = {LANES * MB{1'b0}};
        end
    endgenerate

    // The group's currents: BLOCK x LANES exact sums of the listed sources' weights.
    reg [BLOCK*LANES*AW-1:0] accs;
    genvar l, s;
    generate
        for (s = 0; s < BLOCK; s = s + 1) begin : acc_step
            for (l = 0; l < LANES; l = l + 1) begin : acc_lane
                wire signed [WB-1:0] w = w_rdata[l * WB +: WB];
                wire signed [AW-1:0] wx = w;
                always @(posedge clk)
                    if (state == S_GBEGIN)
                        accs[(s * LANES + l) * AW +: AW] <= {AW{1'b0}};
                    else if (acc_en && acc_mask[s])
                        accs[(s * LANES + l) * AW +: AW] <= accs[(s * LANES + l) * AW +: AW] + wx;
            end
        end
    endgenerate
    // The current of step tb (a BLOCK-way multiplexer; tb < BLOCK).
    wire [LANES*AW-1:0] acc_rows [0:BLOCK-1];
    generate
        for (s = 0; s < BLOCK; s = s + 1) begin : acc_row_of
            assign acc_rows[s] = accs[s * LANES * AW +: LANES * AW];
        end
    endgenerate
    wire [LANES*AW-1:0] acc_row = acc_rows[tb[BLOCK_BITS-1:0]];

    // Per-lane arithmetic: v = sat(v + I), then the sweep.
    wire [LANES*MB-1:0] add_v;
    wire [LANES*MB-1:0] swp_v;
    wire [LANES-1:0] swp_s;
    generate
        for (l = 0; l < LANES; l = l + 1) begin : lane
            wire signed [MB-1:0] vin = v_rdata[l * MB +: MB];
            wire signed [AW-1:0] cin = acc_row[l * AW +: AW];
            wire signed [MB-1:0] b = b_rdata[l * MB +: MB];
            wire signed [SW-1:0] sum = vin + cin;
            assign add_v[l * MB +: MB] = satw(sum);
            wire [GAW+LANE_BITS:0] n = wb_g * LANES + l;
            wire fire = (n < L_N) && (vin > L_THR);
            // vin > L_THR >= 1: vin - L_THR cannot leave the range (no saturation needed).
            wire signed [MB-1:0] after = vin - L_THR;
            wire signed [MB-1:0] r = fire ? (L_ZERO ? {MB{1'b0}} : after) : vin;
            // The leak (r >>> k, the layer's shift; a function of the layer table).
            wire signed [MB-1:0] leak = leak_of(r, layer);
            wire signed [MB+1:0] nxt = r - leak + b;
            assign swp_v[l * MB +: MB] = sat(nxt);
            assign swp_s[l] = fire;
        end
    endgenerate
    assign trace_we = wb_swp;
    assign trace_spikes = swp_s;
    assign trace_vin = v_rdata;
    assign trace_v = swp_v;
    assign trace_step = t0 + tb;
    assign trace_layer = layer;
    assign trace_group = wb_g;

    // Output spike counters (flat registers) of the last layer.
    reg [OUT_SIZE*CW-1:0] counts;
    wire count_en = wb_swp && (layer == NUM_LAYERS - 1);
    genvar o;
    generate
        for (o = 0; o < OUT_SIZE; o = o + 1) begin : counter
            always @(posedge clk)
                if (go)
                    counts[o * CW +: CW] <= {CW{1'b0}};
                else if (count_en && wb_g == o / LANES && swp_s[o % LANES])
                    counts[o * CW +: CW] <= counts[o * CW +: CW] + 1'b1;
        end
    endgenerate
    assign out_count = counts[out_addr * CW +: CW];
    wire [CW-1:0] cur = counts[ci * CW +: CW];

    always @*
        if (wb_init)
            v_wdata = b_rdata;
        else if (wb_swp)
            v_wdata = swp_v;
        else
            v_wdata = add_v;

    // The group's spikes at each step of the block, gathered for its list entries.
    genvar m, q;
    generate
        for (m = 0; m < LANES; m = m + 1) begin : gather
            for (q = 0; q < BLOCK; q = q + 1) begin : gather_step
                always @(posedge clk)
                    if (state == S_GBEGIN)
                        smask[m * BLOCK + q] <= 1'b0;
                    else if (wb_swp && tb == q)
                        smask[m * BLOCK + q] <= swp_s[m];
            end
        end
    endgenerate

    always @(posedge clk) begin
        done <= 1'b0;
        wb_init <= 1'b0;
        wb_pb <= 1'b0;
        wb_swp <= 1'b0;
        acc_en <= 1'b0;
        wb_va <= vp;
        wb_g <= gc[GAW-1:0];
        if (list_we)
            no <= no + 1'b1;
        if (state == S_IDLE && start && !loaded)
            start_pending <= 1'b1;
        if (rst) begin
            start_pending <= 1'b0;
            state <= S_IDLE;
            busy <= 1'b0;
            out_class <= 0;
            layer <= 0;
            gc <= 0;
        end else begin
            case (state)
                S_IDLE:
                    if (go) begin
                        start_pending <= 1'b0;
                        busy <= 1'b1;
                        vp <= 0;
                        blk <= 0;
                        t0 <= 0;
                        state <= S_INIT;
                    end
                S_INIT: begin // v = b, one word per cycle
                    wb_init <= 1'b1;
                    if (vp == V_DEPTH - 1)
                        state <= S_RBEGIN;
                    else
                        vp <= vp + 1'b1;
                end
                S_RBEGIN: begin // input 0's intensity is being read
                    lfsr <= BLK_STATE;
                    layer <= 0;
                    j <= 0;
                    jn <= 1;
                    no <= 0;
                    ocol <= 0;
                    state <= S_RAST;
                end
                S_RAST: begin // input j: its spikes at the block's steps
                    lfsr <= lfsr_next;
                    ocol <= ocol + G1;
                    j <= jn;
                    jn <= jn + 1'b1;
                    if (j == IN_SIZE - 1) begin
                        gc <= 0;
                        state <= S_GBEGIN;
                    end
                end
                S_GBEGIN: begin // currents cleared; list entry 0 is being read
                    if (gc == 0) begin // the layer's first group
                        na <= no;
                        no <= 0;
                        ocol <= L_OWBASE;
                    end
                    vp <= L_VBASE + gc[GAW-1:0];
                    a <= 1;
                    state <= S_GACC;
                end
                S_GACC: begin // entry a - 1's weight word is read; entry a - 2's is added
                    acc_en <= a <= na;
                    acc_mask <= list_q[BLOCK-1:0];
                    a <= a + 1'b1;
                    if (a == na + 1) begin
                        tb <= 0;
                        ph <= 0;
                        state <= S_PB;
                    end
                end
                S_PB: begin // per step: v = sat(v + I) written back, read, swept, read
                    ph <= ph + 1'b1;
                    if (ph == 2'd0)
                        wb_pb <= 1'b1;
                    if (ph == 2'd2)
                        wb_swp <= 1'b1;
                    if (ph == 2'd3) begin
                        tb <= tb + 1'b1;
                        if (tb == nb - 1) begin
                            ln <= 0;
                            if (layer != NUM_LAYERS - 1)
                                state <= S_LIST;
                            else if (gc == L_G - 1)
                                state <= S_BEND;
                            else begin
                                gc <= gc + 1'b1;
                                state <= S_GBEGIN;
                            end
                        end
                    end
                end
                S_LIST: begin // lane ln of the group: listed for the next layer if it spiked
                    ln <= ln + 1'b1;
                    ocol <= ocol + L_OG;
                    if (ln == LANES - 1) begin
                        if (gc == L_G - 1) begin
                            layer <= layer + 1'b1;
                            gc <= 0;
                        end else
                            gc <= gc + 1'b1;
                        state <= S_GBEGIN;
                    end
                end
                S_BEND: // the block is done
                    if (blk == NBLK - 1) begin
                        ci <= 0;
                        best <= 0;
                        out_class <= 0;
                        state <= S_CLASS;
                    end else begin
                        blk <= blk + 1'b1;
                        t0 <= t0 + BLOCK;
                        state <= S_RBEGIN;
                    end
                S_CLASS: begin
                    if (cur > best) begin
                        best <= cur;
                        out_class <= ci;
                    end
                    if (ci == OUT_SIZE - 1)
                        state <= S_DONE;
                    else
                        ci <= ci + 1'b1;
                end
                S_DONE: begin
                    busy <= 1'b0;
                    done <= 1'b1;
                    state <= S_IDLE;
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
