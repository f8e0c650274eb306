// CRC-8 of the board protocol (docs/hardware.md): polynomial 0x07, initial value 0, no reflection,
// as protocol::crc8 computes it on the host. crc8(crc, d) is the CRC after one more byte d.
// Included inside a module by snn_uart_top.v and tb_snn_uart.v.
function [7:0] crc8;
    input [7:0] crc;
    input [7:0] d;
    integer k;
    reg [7:0] x;
    begin
        x = crc ^ d;
        for (k = 0; k < 8; k = k + 1)
            x = x[7] ? {x[6:0], 1'b0} ^ 8'h07 : {x[6:0], 1'b0};
        crc8 = x;
    end
endfunction
