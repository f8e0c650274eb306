// Test fixture of tst_verilog (receiverSamplesMidBit): 1,000 random bytes, back to back, into
// snn_uart_top.v's uart_rx at CLKS clocks a bit, from a sender whose clock is SKEW off (+0.02:
// 2% fast, its bits 2% shorter), starting at an odd phase against the receiver's clock. Prints
// "RX sent N received R wrong W".
`timescale 1ns/1ps
module tb_uart_rx;
    parameter CLKS = 8;
    parameter real SKEW = 0.0;
    localparam real CLK_NS = 10.0;
    localparam real BIT = CLK_NS * CLKS / (1.0 + SKEW);
    localparam N = 1000;
    reg clk = 1'b0;
    always #(CLK_NS / 2) clk = ~clk;
    reg rx = 1'b1;
    wire valid;
    wire [7:0] data;
    uart_rx #(.CLKS_PER_BIT(CLKS)) dut(.clk(clk), .rx(rx), .valid(valid), .data(data));
    reg [7:0] sent [0:N-1];
    integer n, b, received, wrong;
    always @(posedge clk)
        if (valid) begin
            if (received >= N || data !== sent[received])
                wrong = wrong + 1;
            received = received + 1;
        end
    initial begin
        received = 0;
        wrong = 0;
        for (n = 0; n < N; n = n + 1)
            sent[n] = $random(n);
        #(CLK_NS * 3.37);
        for (n = 0; n < N; n = n + 1) begin
            rx = 1'b0;
            #(BIT);
            for (b = 0; b < 8; b = b + 1) begin
                rx = sent[n][b];
                #(BIT);
            end
            rx = 1'b1;
            #(BIT);
        end
        #(BIT * 20);
        $display("RX sent %0d received %0d wrong %0d", N, received, wrong);
        $finish;
    end
endmodule
