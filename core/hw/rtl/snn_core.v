// SNN Studio: time-multiplexed, layer-sequential LIF core for iCE40 (docs/hardware.md).
// One design for every graph: the graph is data (snn_config.vh, snn_layers.vh, weights.mem,
// bias.mem). Per sample: membranes start at the bias; for each time step and each layer in turn,
// every source index is scanned, each source spike adds its weight column to all neurons
// (LANES neurons per cycle pair), then a sweep applies threshold, reset, leak and bias.
module snn_core(clk, rst, in_we, in_addr, in_data, start, busy, done, out_addr, out_count,
                out_class);
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

    localparam S_IDLE = 4'd0, S_INIT_RD = 4'd1, S_INIT_WR = 4'd2, S_LAYER = 4'd3,
               S_SCAN_RD = 4'd4, S_SCAN_CHK = 4'd5, S_ACC_RD = 4'd6, S_ACC_WR = 4'd7,
               S_SWP_RD = 4'd8, S_SWP_WR = 4'd9, S_CLASS = 4'd10, S_DONE = 4'd11;

    reg [3:0] state;
    reg [LW-1:0] layer;
    reg [7:0] t;
    reg [JW-1:0] j;
    reg [GAW-1:0] g;
    reg [VAW-1:0] ia;
    reg [WAW-1:0] wcol;
    reg [31:0] lfsr;
    reg [OAW-1:0] ci;
    reg [CW-1:0] best;

    // The layer table (generated): sizes, memory bases, threshold, leak shift, reset mode.
    reg [JW:0] L_SRC;
    reg [JW:0] L_N;
    reg [GAW:0] L_G;
    reg [WAW-1:0] L_WBASE;
    reg [VAW-1:0] L_VBASE;
    reg signed [MB-1:0] L_THR;
    reg [4:0] L_K;
    reg L_ZERO;
`include "snn_layers.vh"

    // Saturation by the top bits (no comparators): x is in range when its three top bits agree.
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

    // Input intensities, written by the host.
    (* ram_style = "block" *)
    reg [7:0] in_mem [0:IN_SIZE-1];
    reg [7:0] in_rdata;
    always @(posedge clk)
        if (in_we)
            in_mem[in_addr] <= in_data;
    always @(posedge clk)
        in_rdata <= in_mem[j[IAW-1:0]];

    // Weights: one word per (layer, source, group) holding LANES signed WB-bit weights.
    wire [WAW-1:0] w_addr = wcol + g;
    (* ram_style = "block" *)
    reg [LANES*WB-1:0] w_mem [0:W_DEPTH-1];
    reg [LANES*WB-1:0] w_rdata;
    initial $readmemh("weights.mem", w_mem);
    always @(posedge clk)
        w_rdata <= w_mem[w_addr];

    // Membranes and biases: one word per (layer, group) holding LANES signed MB-bit values.
    wire init = (state == S_INIT_RD) || (state == S_INIT_WR);
    wire [VAW-1:0] v_addr = init ? ia : L_VBASE + g;
    (* ram_style = "block" *)
    reg [LANES*MB-1:0] v_mem [0:V_DEPTH-1];
    reg [LANES*MB-1:0] v_rdata;
    reg v_we;
    reg [LANES*MB-1:0] v_wdata;
    always @(posedge clk)
        v_rdata <= v_mem[v_addr];
    always @(posedge clk)
        if (v_we)
            v_mem[v_addr] <= v_wdata;

    wire [LANES*MB-1:0] b_rdata;
    generate
        if (HAS_BIAS) begin : with_bias
            (* ram_style = "block" *)
            reg [LANES*MB-1:0] b_mem [0:V_DEPTH-1];
            reg [LANES*MB-1:0] b_q;
            initial $readmemh("bias.mem", b_mem);
            always @(posedge clk)
                b_q <= b_mem[v_addr];
            assign b_rdata = b_q;
        end else begin : without_bias
            assign b_rdata = {LANES * MB{1'b0}};
        end
    endgenerate

    // The previous layer's spikes of this step, one LANES-bit word per group.
    (* ram_style = "block" *)
    reg [LANES-1:0] m_mem [0:M_DEPTH-1];
    reg [LANES-1:0] m_rdata;
    wire [LANES-1:0] swp_s;
    wire m_we = (state == S_SWP_WR);
    wire [JW-1:0] m_raddr = j >> LANE_BITS;
    wire [JW-1:0] lane_sel = j & (LANES - 1);
    always @(posedge clk)
        m_rdata <= m_mem[m_raddr[GAW-1:0]];
    always @(posedge clk)
        if (m_we)
            m_mem[g] <= swp_s;

    // The input generator: xorshift32.
    wire [31:0] x1 = lfsr ^ (lfsr << 13);
    wire [31:0] x2 = x1 ^ (x1 >> 17);
    wire [31:0] lfsr_next = x2 ^ (x2 << 5);
    wire spike = (layer == 0) ? (lfsr_next[31:24] < in_rdata) : m_rdata[lane_sel];

    // Per-lane arithmetic.
    wire [LANES*MB-1:0] acc_v;
    wire [LANES*MB-1:0] swp_v;
    genvar l;
    generate
        for (l = 0; l < LANES; l = l + 1) begin : lane
            wire signed [MB-1:0] vin = v_rdata[l * MB +: MB];
            wire signed [WB-1:0] w = w_rdata[l * WB +: WB];
            wire signed [MB-1:0] b = b_rdata[l * MB +: MB];
            wire signed [MB+1:0] sum = vin + w;
            assign acc_v[l * MB +: MB] = sat(sum);
            wire [GAW+LANE_BITS:0] n = g * LANES + l;
            wire fire = (n < L_N) && (vin > L_THR);
            wire signed [MB+1:0] after = vin - L_THR;
            wire signed [MB-1:0] r = fire ? (L_ZERO ? {MB{1'b0}} : sat(after)) : vin;
            // The shift stands alone so that it stays arithmetic (signed context).
            wire signed [MB-1:0] shifted = r >>> L_K;
            wire signed [MB-1:0] leak = (L_K == 0) ? {MB{1'b0}} : shifted;
            wire signed [MB+1:0] nxt = r - leak + b;
            assign swp_v[l * MB +: MB] = sat(nxt);
            assign swp_s[l] = fire;
        end
    endgenerate

    // Output spike counters (flat registers) of the last layer.
    reg [OUT_SIZE*CW-1:0] counts;
    wire count_en = (state == S_SWP_WR) && (layer == NUM_LAYERS - 1);
    genvar o;
    generate
        for (o = 0; o < OUT_SIZE; o = o + 1) begin : counter
            always @(posedge clk)
                if (state == S_IDLE && start)
                    counts[o * CW +: CW] <= {CW{1'b0}};
                else if (count_en && g == o / LANES && swp_s[o % LANES])
                    counts[o * CW +: CW] <= counts[o * CW +: CW] + 1'b1;
        end
    endgenerate
    assign out_count = counts[out_addr * CW +: CW];
    wire [CW-1:0] cur = counts[ci * CW +: CW];

    always @* begin
        v_we = 1'b0;
        v_wdata = acc_v;
        case (state)
            S_INIT_WR: begin
                v_we = 1'b1;
                v_wdata = b_rdata;
            end
            S_ACC_WR: v_we = 1'b1;
            S_SWP_WR: begin
                v_we = 1'b1;
                v_wdata = swp_v;
            end
            default: ;
        endcase
    end

    task next_source;
        begin
            if (j == L_SRC - 1) begin
                g <= 0;
                state <= S_SWP_RD;
            end else begin
                j <= j + 1'b1;
                wcol <= wcol + L_G;
                state <= S_SCAN_RD;
            end
        end
    endtask

    always @(posedge clk) begin
        done <= 1'b0;
        if (rst) begin
            state <= S_IDLE;
            busy <= 1'b0;
            out_class <= 0;
            layer <= 0;
            j <= 0;
            g <= 0;
        end else begin
            case (state)
                S_IDLE:
                    if (start) begin
                        busy <= 1'b1;
                        ia <= 0;
                        lfsr <= SEED;
                        state <= S_INIT_RD;
                    end
                S_INIT_RD: state <= S_INIT_WR;
                S_INIT_WR:
                    if (ia == V_DEPTH - 1) begin
                        t <= 0;
                        layer <= 0;
                        state <= S_LAYER;
                    end else begin
                        ia <= ia + 1'b1;
                        state <= S_INIT_RD;
                    end
                S_LAYER: begin
                    j <= 0;
                    g <= 0;
                    wcol <= L_WBASE;
                    state <= S_SCAN_RD;
                end
                S_SCAN_RD: state <= S_SCAN_CHK;
                S_SCAN_CHK: begin
                    if (layer == 0)
                        lfsr <= lfsr_next;
                    if (spike) begin
                        g <= 0;
                        state <= S_ACC_RD;
                    end else
                        next_source;
                end
                S_ACC_RD: state <= S_ACC_WR;
                S_ACC_WR:
                    if (g == L_G - 1)
                        next_source;
                    else begin
                        g <= g + 1'b1;
                        state <= S_ACC_RD;
                    end
                S_SWP_RD: state <= S_SWP_WR;
                S_SWP_WR:
                    if (g == L_G - 1) begin
                        if (layer == NUM_LAYERS - 1) begin
                            if (t == STEPS - 1) begin
                                ci <= 0;
                                best <= 0;
                                out_class <= 0;
                                state <= S_CLASS;
                            end else begin
                                t <= t + 1'b1;
                                layer <= 0;
                                state <= S_LAYER;
                            end
                        end else begin
                            layer <= layer + 1'b1;
                            state <= S_LAYER;
                        end
                    end else begin
                        g <= g + 1'b1;
                        state <= S_SWP_RD;
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
