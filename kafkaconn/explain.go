package kafkaconn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/segmentio/kafka-go"
)

// Explain turns a failure to connect to or authenticate with the broker at
// addr into one line that names the broker, the step that failed and the
// setting to check. Errors it does not recognise are wrapped with the
// address.
func (c *Conn) Explain(addr string, err error) error {
	return fmt.Errorf("kafka broker %s: %s", addr, c.reason(err))
}

// reason describes err; the checks go from the most to the least specific.
func (c *Conn) reason(err error) string {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		record     tls.RecordHeaderError
		kerr       kafka.Error
		verifyFail *tls.CertificateVerificationError
	)
	tlsOn := c.opts.TLS != nil
	var se *stepError
	step := ""
	if errors.As(err, &se) {
		step = se.step
	}
	switch {
	case errors.As(err, &unknownCA):
		return "TLS: the broker's certificate is not signed by a trusted authority (check kafka.tls.ca_file)"
	case errors.As(err, &hostname):
		return fmt.Sprintf("TLS: the broker's certificate is not valid for %s (check kafka.tls.server_name): %v", hostname.Host, hostname)
	case errors.As(err, &invalid):
		return "TLS: the broker's certificate is invalid: " + invalid.Error()
	case errors.As(err, &verifyFail):
		return "TLS: the broker's certificate was rejected: " + verifyFail.Err.Error()
	case errors.As(err, &record):
		return "TLS handshake failed: the listener does not speak TLS (is kafka.tls set for a plaintext listener?)"
	case strings.Contains(err.Error(), "remote error: tls:"):
		return "TLS: the broker refused the connection (" + tlsAlert(err) + "); a broker that requires client certificates needs kafka.tls.cert_file and key_file"
	case errors.As(err, &kerr):
		return c.kafkaReason(kerr)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "unreachable: connection refused (is the broker running, and kafka.brokers right?)"
	case isDNS(err):
		return "unreachable: the host name does not resolve (check kafka.brokers)"
	case step == stepConnect && (errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err)):
		return fmt.Sprintf("unreachable: no connection within %s (check kafka.brokers and the network)", c.opts.Timeout)
	case step == stepTLS && (errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err) || isClosed(err)):
		return "TLS handshake failed: no TLS answer (is it a plaintext listener? then remove kafka.tls)"
	case step == stepRequest && c.mech == nil && isClosed(err) && tlsOn:
		return "the broker closed the connection after the TLS handshake (does it require SASL? then set kafka.sasl)"
	case isClosed(err) && !tlsOn:
		return "the broker closed the connection before answering (does the listener require TLS? then set kafka.tls; or SASL? then set kafka.sasl)"
	case isClosed(err):
		return "the broker closed the connection before answering"
	case errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return fmt.Sprintf("no answer within %s", c.opts.Timeout)
	}
	return "connection failed: " + err.Error()
}

// kafkaReason describes an error code the broker returned while the
// connection was being set up.
func (c *Conn) kafkaReason(e kafka.Error) string {
	switch e {
	case kafka.SASLAuthenticationFailed:
		return fmt.Sprintf("SASL %s authentication of user %q failed: wrong username or password (check kafka.sasl)",
			c.opts.SASL.Mechanism, c.opts.SASL.Username)
	case kafka.UnsupportedSASLMechanism:
		return fmt.Sprintf("SASL: the broker does not enable mechanism %s (check kafka.sasl.mechanism)", c.opts.SASL.Mechanism)
	case kafka.IllegalSASLState:
		return "SASL: the broker expected SASL authentication first (set kafka.sasl)"
	}
	return fmt.Sprintf("the broker refused the connection: [%d] %s", int(e), e.Title())
}

// tlsAlert extracts the alert of a "remote error: tls: ..." message.
func tlsAlert(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "remote error: tls: "); i >= 0 {
		return msg[i+len("remote error: "):]
	}
	return msg
}

// isClosed reports whether the peer closed or reset the connection.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isDNS(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de)
}
