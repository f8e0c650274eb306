// SNN Studio: board top, speaking the framed protocol of docs/hardware.md over the UART (8N1).
// A request: REQ_START, command, length (16 bits, low byte first), payload, CRC-8 (polynomial
// 0x07, initial 0) over command, length and payload. Replies have the same shape with
// REPLY_START. RUN (payload: IN_SIZE intensities) answers OUT_SIZE spike counts and the class;
// STATUS answers version, sizes, the design hash and the weight image's state; a bad frame, an
// unknown command, a request cut short (IDLE_CLKS of silence) or a RUN the weight image cannot
// serve answers ERROR (code, image state). The LEDs show the last class, or while the weight
// image is unusable its state on LEDs 0-2 with LED 4 blinking. The button (where the board has
// one) resets the receiver and the core, which reloads its weights.
`include "snn_defines.vh"
module snn_uart_top(clk, uart_rx, uart_tx, led
`ifdef SNN_SPRAM
                    , flash_sck, flash_csn, flash_mosi, flash_miso
`endif
`ifdef SNN_BUTTON
                    , btn_n
`endif
                    );
`include "snn_config.vh"
    // Testbenches shorten the idle timeout (the bit time is the board's).
    parameter IDLE = IDLE_CLKS;
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
`ifdef SNN_BUTTON
    input btn_n; // low while pressed
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

`ifdef SNN_BUTTON
    reg [1:0] btn_sync = 2'b11;
    always @(posedge sys_clk)
        btn_sync <= {btn_sync[0], btn_n};
    wire pressed = ~btn_sync[1];
`else
    wire pressed = 1'b0;
`endif

    reg [3:0] por = 4'd0;
    wire rst = ~por[3];
    always @(posedge sys_clk)
        if (!pll_lock || pressed)
            por <= 4'd0; // held in reset until the clock is stable, and while the button is down
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
    wire [CW-1:0] out_count;
    wire [OAW-1:0] out_class;
    wire [2:0] image;
    reg [15:0] tidx; // the reply byte being sent
    wire [15:0] pidx = tidx - 16'd4;
    snn_core core(.clk(sys_clk), .rst(rst), .in_we(in_we), .in_addr(in_addr), .in_data(in_data),
                  .start(start), .busy(busy), .done(done), .out_addr(pidx[OAW-1:0]),
                  .out_count(out_count), .out_class(out_class), .image(image)
`ifdef SNN_SPRAM
                  , .flash_sck(flash_sck), .flash_csn(flash_csn), .flash_mosi(flash_mosi),
                  .flash_miso(flash_miso), .loaded(loaded)
`endif
                  );
    wire usable = image == IMG_OK || image == IMG_BUILTIN;

    `include "snn_crc8.vh"

    // The reply: kind, length and the byte at tidx (start, command, length, payload, CRC).
    localparam K_RUN = 2'd0, K_STATUS = 2'd1, K_ERROR = 2'd2;
    localparam [15:0] IN16 = IN_SIZE, OUT16 = OUT_SIZE;
    reg [1:0] kind;
    reg [7:0] ecode;
    reg [7:0] tcrc;
    wire [15:0] rlen = kind == K_RUN ? OUT16 + 16'd1 : kind == K_STATUS ? 16'd10 : 16'd2;
    wire [7:0] count8 = out_count;
    wire [7:0] class8 = out_class;
    reg [7:0] payload;
    always @* begin
        payload = 8'd0;
        case (kind)
            K_RUN: payload = pidx == OUT16 ? class8 : count8;
            K_STATUS:
                case (pidx[3:0])
                    4'd0: payload = PROTOCOL_VERSION;
                    4'd1: payload = IN16[7:0];
                    4'd2: payload = IN16[15:8];
                    4'd3: payload = OUT16[7:0];
                    4'd4: payload = OUT16[15:8];
                    4'd5: payload = WEIGHTS_HASH[7:0];
                    4'd6: payload = WEIGHTS_HASH[15:8];
                    4'd7: payload = WEIGHTS_HASH[23:16];
                    4'd8: payload = WEIGHTS_HASH[31:24];
                    default: payload = image;
                endcase
            default: payload = pidx[0] ? image : ecode;
        endcase
    end
    wire [7:0] reply_byte = tidx == 0 ? REPLY_START :
                            tidx == 1 ? (kind == K_RUN ? CMD_RUN :
                                         kind == K_STATUS ? CMD_STATUS : CMD_ERROR) :
                            tidx == 2 ? rlen[7:0] :
                            tidx == 3 ? rlen[15:8] :
                            tidx == rlen + 16'd4 ? tcrc : payload;

    localparam R_START = 3'd0, R_CMD = 3'd1, R_LEN0 = 3'd2, R_LEN1 = 3'd3, R_DATA = 3'd4,
               R_CRC = 3'd5;
    localparam P_RECV = 3'd0, P_DISPATCH = 3'd1, P_LOAD = 3'd2, P_RUN = 3'd3, P_SEND = 3'd4,
               P_WAIT = 3'd5;
    reg [2:0] phase;
    reg [2:0] rstate;
    reg [7:0] cmd;
    reg [15:0] len;
    reg [15:0] ridx; // payload bytes received
    reg [7:0] rcrc;
    reg crc_ok;
    reg [23:0] idle;
    reg [4:0] shown;

    task reply(input [1:0] k, input [7:0] code);
        begin
            kind <= k;
            ecode <= code;
            tidx <= 16'd0;
            phase <= P_SEND;
        end
    endtask

    always @(posedge sys_clk) begin
        in_we <= 1'b0;
        start <= 1'b0;
        tx_start <= 1'b0;
        if (rst) begin
            phase <= P_RECV;
            rstate <= R_START;
            idle <= 24'd0;
            shown <= 5'd0;
        end else begin
            case (phase)
                P_RECV:
                    if (rx_valid) begin
                        idle <= 24'd0;
                        rcrc <= crc8(rcrc, rx_byte);
                        case (rstate)
                            R_START:
                                if (rx_byte == REQ_START) begin
                                    rcrc <= 8'd0;
                                    rstate <= R_CMD;
                                end
                            R_CMD: begin
                                cmd <= rx_byte;
                                rstate <= R_LEN0;
                            end
                            R_LEN0: begin
                                len[7:0] <= rx_byte;
                                rstate <= R_LEN1;
                            end
                            R_LEN1: begin
                                len[15:8] <= rx_byte;
                                ridx <= 16'd0;
                                rstate <= {rx_byte, len[7:0]} == 16'd0 ? R_CRC : R_DATA;
                            end
                            R_DATA: begin
                                if (cmd == CMD_RUN && ridx < IN16) begin
                                    in_we <= 1'b1;
                                    in_addr <= ridx[IAW-1:0];
                                    in_data <= rx_byte;
                                end
                                ridx <= ridx + 1'b1;
                                if (ridx == len - 1'b1)
                                    rstate <= R_CRC;
                            end
                            default: begin // R_CRC: the CRC over everything, its own included, is 0
                                crc_ok <= crc8(rcrc, rx_byte) == 8'd0;
                                rstate <= R_START;
                                phase <= P_DISPATCH;
                            end
                        endcase
                    end else if (rstate != R_START) begin
                        idle <= idle + 1'b1;
                        if (idle == IDLE - 1) begin // silence mid-frame: drop it
                            rstate <= R_START;
                            reply(K_ERROR, ERR_TIMEOUT);
                        end
                    end
                P_DISPATCH:
                    if (!crc_ok)
                        reply(K_ERROR, ERR_CHECKSUM);
                    else if (cmd == CMD_STATUS)
                        reply(len == 0 ? K_STATUS : K_ERROR, ERR_LENGTH);
                    else if (cmd != CMD_RUN)
                        reply(K_ERROR, ERR_COMMAND);
                    else if (len != IN16)
                        reply(K_ERROR, ERR_LENGTH);
                    else
                        phase <= P_LOAD;
                P_LOAD: // a RUN during the weight load waits for it
                    if (image != IMG_LOADING) begin
                        if (usable) begin
                            start <= 1'b1;
                            phase <= P_RUN;
                        end else
                            reply(K_ERROR, ERR_IMAGE);
                    end
                P_RUN:
                    if (done) begin
                        shown <= class8[4:0];
                        reply(K_RUN, 8'd0);
                    end
                P_SEND:
                    if (!tx_busy && !tx_start) begin
                        tx_byte <= reply_byte;
                        tx_start <= 1'b1;
                        tcrc <= tidx == 0 ? 8'd0 : crc8(tcrc, reply_byte);
                        phase <= P_WAIT;
                    end
                default: // P_WAIT
                    if (!tx_busy && !tx_start) begin
                        if (tidx == rlen + 16'd4)
                            phase <= P_RECV;
                        else begin
                            tidx <= tidx + 1'b1;
                            phase <= P_SEND;
                        end
                    end
            endcase
        end
    end

    // LEDs: the last class; an unusable weight image shows its state with LED 4 blinking.
    reg [27:0] blink_count = 28'd0;
    reg blink = 1'b0;
    always @(posedge sys_clk)
        if (blink_count == BLINK_CLKS - 1) begin
            blink_count <= 28'd0;
            blink <= ~blink;
        end else
            blink_count <= blink_count + 1'b1;
    assign led = usable || image == IMG_LOADING ? shown : {blink, 1'b0, image};
endmodule

// The 8N1 receiver. The line passes a two-flop synchroniser, so the idle receiver notices a start
// bit two clocks after the first clock edge that samples it low (that edge comes 0 to 1 clock
// after the line falls). Each bit is read from the synchroniser FIRST + 1 clocks after the notice
// and every CLKS_PER_BIT after that: the line as it was F to F + 1 clocks into the bit, F =
// (CLKS_PER_BIT - 1) / 2 (rounded down), the middle within half a clock (one clock early at most
// when CLKS_PER_BIT is even). At 8 clocks per bit (the fewest protocol::clocksPerBit accepts)
// the stop bit is read 75 to 76 clocks after its frame began: right for a sender whose bits are
// up to 5% shorter or 4% longer than 8 clocks (its clock 5.26% fast or 4% slow). A start bit that is high again mid-bit is a glitch; a stop
// bit that is low (a framing error) drops the byte.
module uart_rx #(parameter CLKS_PER_BIT = 104) (input clk, input rx, output reg valid,
                                                 output reg [7:0] data);
    localparam FIRST = (CLKS_PER_BIT - 1) / 2 - 1;
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
                count <= FIRST;
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
