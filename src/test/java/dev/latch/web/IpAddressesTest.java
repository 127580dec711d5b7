package dev.latch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void ipv6IsShownCompressedAndLowercase() {
        assertEquals("::1", IpAddresses.display("0:0:0:0:0:0:0:1"));
        assertEquals("::", IpAddresses.display("0:0:0:0:0:0:0:0"));
        assertEquals("2001:db8::7", IpAddresses.display("2001:DB8:0:0:0:0:0:7"));
        assertEquals("2001:db8::1:0:0:1", IpAddresses.display("2001:db8:0:0:1:0:0:1"), "first of two equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.display("2001:0db8:0000:0001:1:1:1:1"), "one zero group stays");
        assertEquals("2001:db8::2:1", IpAddresses.display("2001:db8:0:0:0:0:2:1"));
        assertEquals("fe80::1", IpAddresses.display("fe80:0:0:0:0:0:0:1%eth0"), "zone dropped");
        assertEquals("::1", IpAddresses.display("[::1]"));
    }

    @Test
    void ipv4MappedIpv6IsShownAsIpv4() {
        assertEquals("192.0.2.1", IpAddresses.display("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", IpAddresses.display("0:0:0:0:0:ffff:c000:201"));
        assertEquals("192.0.2.1", IpAddresses.display("192.0.2.1"));
    }

    @Test
    void whatIsNotAnAddressLiteralIsLeftAlone() {
        assertEquals("unknown", IpAddresses.display("unknown"));
        assertEquals("localhost", IpAddresses.display("localhost"));
        assertEquals("1.2.3.256", IpAddresses.display("1.2.3.256"));
        assertEquals("1::2::3", IpAddresses.display("1::2::3"));
        assertEquals("1:2:3:4:5:6:7", IpAddresses.display("1:2:3:4:5:6:7"));
        assertNull(IpAddresses.display(null));
    }

    @Test
    void loopbackEqualsLoopbackWhateverTheFamily() {
        assertTrue(IpAddresses.same("127.0.0.1", "0:0:0:0:0:0:0:1"));
        assertTrue(IpAddresses.same("::1", "127.0.0.1"));
        assertTrue(IpAddresses.same("::ffff:127.0.0.1", "::1"));
        assertTrue(IpAddresses.same("127.0.1.1", "127.0.0.1"));
    }

    @Test
    void theSameAddressInTwoSpellingsIsTheSame() {
        assertTrue(IpAddresses.same("::ffff:192.0.2.1", "192.0.2.1"));
        assertTrue(IpAddresses.same("2001:DB8:0:0:0:0:0:7", "2001:db8::7"));
        assertTrue(IpAddresses.same("some-host", "SOME-HOST"));
    }

    @Test
    void differentAddressesAreDifferent() {
        assertFalse(IpAddresses.same("192.0.2.1", "192.0.2.2"));
        assertFalse(IpAddresses.same("127.0.0.1", "192.0.2.1"));
        assertFalse(IpAddresses.same("::1", "2001:db8::1"));
        assertFalse(IpAddresses.same("::ffff:192.0.2.1", "2001:db8::1"));
        assertFalse(IpAddresses.same(null, "192.0.2.1"));
    }
}
