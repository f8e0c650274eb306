// A SPI NOR flash as the core meets it (template core/hw/rtl/spi_flash_model.v), with the wake-up
// timing of the iCEBreaker's Winbond W25Q128JV (data sheet, AC Electrical Characteristics: tRES1,
// "/CS High to Standby Mode without ID Read", 3 us max). It starts in deep power-down, where it
// ignores every command but the release 0xAB, and it stays asleep for FLASH_WAKE_NS after the
// /CS rise that ends the release: a command begun (/CS falling) before then is ignored too. So a
// loader that does not wake it, or that does not wait, reads nothing: the bus floats high.
// Awake, it answers READ (0x03, 24-bit address) from flash.mem, which holds the bytes written at
// FLASH_OFFSET (the 16-byte header, then the weights).
`timescale 1ns/1ps
module spi_flash_model(input sck, input csn, input mosi, output reg miso);
`include "snn_config.vh"
    localparam BYTES = 16 + W_DEPTH * SPW * 2;
    reg [7:0] mem [0:BYTES-1];
    initial $readmemh("flash.mem", mem);
    reg [7:0] cmd;
    reg [23:0] addr;
    reg awake;       // out of deep power-down (tRES1 passed)
    reg heard;       // this command began while awake
    realtime wake_at; // when the release's tRES1 ends (the release seen; else in the future)
    integer count, index;
    initial begin
        miso = 1'b1;
        awake = 1'b0;
        heard = 1'b0;
        wake_at = 1.0e30;
    end
    always @(negedge csn) begin
        count = 0;
        cmd = 8'h00;
        addr = 24'h0;
        if (!awake && $realtime >= wake_at)
            awake = 1'b1;
        heard = awake;
    end
    always @(posedge csn)
        if (!awake && count == 8 && cmd == 8'hAB)
            wake_at = $realtime + FLASH_WAKE_NS;
    always @(posedge sck)
        if (!csn) begin
            if (count < 8)
                cmd = {cmd[6:0], mosi};
            else if (count < 32)
                addr = {addr[22:0], mosi};
            count = count + 1;
        end
    always @(negedge sck)
        if (!csn && heard && cmd == 8'h03 && count >= 32) begin
            index = addr - FLASH_ADDR + (count - 32) / 8;
            miso = (index >= 0 && index < BYTES) ? mem[index][7 - (count - 32) % 8] : 1'b1;
        end
endmodule
