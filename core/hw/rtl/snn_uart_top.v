// SNN Studio: board top. The host sends IN_SIZE intensity bytes over the UART (8N1); after the
// last byte the core runs one sample and answers OUT_SIZE spike-count bytes, then the class byte.
// CLKS_PER_BIT = core clock / baud rate. The LEDs show the last class (low bits).
`include "snn_defines.vh"
module snn_uart_top(clk, uart_rx, uart_tx, led
`ifdef SNN_SPRAM
                    , flash_sck, flash_csn, flash_mosi, flash_miso
`endif
                    );
`include "snn_config.vh"
    input clk;
    input uart_rx;
    output uart_tx;
    output [4:0] led;
`ifdef SNN_SPRAM
    output flash_sck;
    output flash_csn;
    output flash_mosi;
    input flash_miso;
    wire loaded;
`endif

    // The core clock: the board's oscillator, or the iCE40 PLL's output when the design asks for
    // another clock (SNN_PLL, with SNN_PLL_PAD when the clock pin is the PLL's pad; dividers in
    // snn_config.vh). Simulation has no PLL model: there the oscillator is the core clock.
    wire sys_clk;
    wire pll_lock;
`ifdef SNN_PLL
`ifdef SYNTHESIS
`ifdef SNN_PLL_PAD
    SB_PLL40_PAD #(.FEEDBACK_PATH("SIMPLE"), .DIVR(PLL_DIVR), .DIVF(PLL_DIVF), .DIVQ(PLL_DIVQ),
                   .FILTER_RANGE(PLL_FILTER))
        pll(.PACKAGEPIN(clk), .PLLOUTGLOBAL(sys_clk), .LOCK(pll_lock), .RESETB(1'b1),
            .BYPASS(1'b0));
`else
    SB_PLL40_CORE #(.FEEDBACK_PATH("SIMPLE"), .DIVR(PLL_DIVR), .DIVF(PLL_DIVF), .DIVQ(PLL_DIVQ),
                    .FILTER_RANGE(PLL_FILTER))
        pll(.REFERENCECLK(clk), .PLLOUTGLOBAL(sys_clk), .LOCK(pll_lock), .RESETB(1'b1),
            .BYPASS(1'b0));
`endif
`else
    assign sys_clk = clk;
    assign pll_lock = 1'b1;
`endif
`else
    assign sys_clk = clk;
    assign pll_lock = 1'b1;
`endif

    reg [3:0] por = 4'd0;
    wire rst = ~por[3];
    always @(posedge sys_clk)
        if (!pll_lock)
            por <= 4'd0; // held in reset until the clock is stable
        else if (!por[3])
            por <= por + 1'b1;

    wire rx_valid;
    wire [7:0] rx_byte;
    uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) rx(.clk(sys_clk), .rx(uart_rx), .valid(rx_valid),
                                              .data(rx_byte));
    reg tx_start;
    reg [7:0] tx_byte;
    wire tx_busy;
    uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) tx(.clk(sys_clk), .start(tx_start), .data(tx_byte),
                                              .busy(tx_busy), .tx(uart_tx));

    reg [IAW-1:0] in_addr;
    reg in_we;
    reg [7:0] in_data;
    reg start;
    wire busy;
    wire done;
    reg [OAW:0] out_idx;
    wire [CW-1:0] out_count;
    wire [OAW-1:0] out_class;
    snn_core core(.clk(sys_clk), .rst(rst), .in_we(in_we), .in_addr(in_addr), .in_data(in_data),
                  .start(start), .busy(busy), .done(done), .out_addr(out_idx[OAW-1:0]),
                  .out_count(out_count), .out_class(out_class)
`ifdef SNN_SPRAM
                  , .flash_sck(flash_sck), .flash_csn(flash_csn), .flash_mosi(flash_mosi),
                  .flash_miso(flash_miso), .loaded(loaded)
`endif
                  );

    localparam T_RECV = 2'd0, T_RUN = 2'd1, T_SEND = 2'd2, T_WAIT = 2'd3;
    reg [1:0] phase;
    reg [IAW:0] received;
    reg [4:0] shown;
    wire [7:0] class8 = out_class;
    assign led = shown;

    always @(posedge sys_clk) begin
        in_we <= 1'b0;
        start <= 1'b0;
        tx_start <= 1'b0;
        if (rst) begin
            phase <= T_RECV;
            received <= 0;
            shown <= 5'd0;
        end else begin
            case (phase)
                T_RECV:
                    if (rx_valid) begin
                        in_we <= 1'b1;
                        in_addr <= received[IAW-1:0];
                        in_data <= rx_byte;
                        if (received == IN_SIZE - 1) begin
                            received <= 0;
                            start <= 1'b1;
                            phase <= T_RUN;
                        end else
                            received <= received + 1'b1;
                    end
                T_RUN:
                    if (done) begin
                        out_idx <= 0;
                        shown <= class8[4:0];
                        phase <= T_SEND;
                    end
                T_SEND:
                    if (!tx_busy && !tx_start) begin
                        tx_byte <= (out_idx == OUT_SIZE) ? out_class : out_count;
                        tx_start <= 1'b1;
                        phase <= T_WAIT;
                    end
                T_WAIT:
                    if (!tx_busy && !tx_start) begin
                        if (out_idx == OUT_SIZE)
                            phase <= T_RECV;
                        else begin
                            out_idx <= out_idx + 1'b1;
                            phase <= T_SEND;
                        end
                    end
            endcase
        end
    end
endmodule

module uart_rx #(parameter CLKS_PER_BIT = 104) (input clk, input rx, output reg valid,
                                                 output reg [7:0] data);
    reg [1:0] sync = 2'b11;
    reg [15:0] count = 0;
    reg [3:0] bitn = 0;
    reg active = 0;
    always @(posedge clk) begin
        sync <= {sync[0], rx};
        valid <= 1'b0;
        if (!active) begin
            if (!sync[1]) begin
                active <= 1'b1;
                count <= CLKS_PER_BIT / 2;
                bitn <= 0;
            end
        end else if (count != 0)
            count <= count - 1'b1;
        else begin
            count <= CLKS_PER_BIT - 1;
            if (bitn == 0) begin
                if (sync[1])
                    active <= 1'b0; // a glitch, not a start bit
                bitn <= 1;
            end else if (bitn <= 8) begin
                data <= {sync[1], data[7:1]};
                bitn <= bitn + 1'b1;
            end else begin
                active <= 1'b0;
                valid <= sync[1];
            end
        end
    end
endmodule

module uart_tx #(parameter CLKS_PER_BIT = 104) (input clk, input start, input [7:0] data,
                                                 output busy, output tx);
    reg [9:0] shift = 10'h3ff;
    reg [3:0] left = 0;
    reg [15:0] count = 0;
    assign busy = left != 0;
    assign tx = shift[0];
    always @(posedge clk)
        if (!busy) begin
            if (start) begin
                shift <= {1'b1, data, 1'b0};
                left <= 4'd10;
                count <= CLKS_PER_BIT - 1;
            end
        end else if (count != 0)
            count <= count - 1'b1;
        else begin
            count <= CLKS_PER_BIT - 1;
            shift <= {1'b1, shift[9:1]};
            left <= left - 1'b1;
        end
endmodule
