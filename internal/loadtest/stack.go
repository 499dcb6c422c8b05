package loadtest

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/kafkaconn"
)

// Stack is the processes of a run: the broker, the endpoints and the
// gateway, each a child process (see Launcher) that can be stopped,
// killed and started again.
type Stack struct {
	// Launcher starts the children.
	Launcher Launcher
	// Dir holds the run's files: configuration, endpoint spec, broker data.
	Dir string
	// Topo is the merchants and endpoints.
	Topo *Topology
	// Settings are the gateway's.
	Settings GatewaySettings
	// Partitions is the partition count of every topic.
	Partitions int
	// Persist gives the broker a data directory, so a restarted broker
	// resumes where it stopped.
	Persist bool
	// RetentionBytes bounds each partition of the broker (0: unbounded).
	RetentionBytes int64
	// BrokerProcs, when positive, is the broker's GOMAXPROCS: it bounds
	// the cores the in-process broker (and its garbage collector) can
	// take from the gateway on a shared machine.
	BrokerProcs int
	// Seed makes the endpoints' fault injection reproducible.
	Seed uint64
	// UseServe runs the gateway as "lcngw serve" instead of the bench
	// gateway (which adds short retry tiers, quick shutdown and profiling).
	UseServe bool
	// CPUProfile, when set, is where the gateway writes a CPU profile;
	// Trace, where it writes an execution trace.
	CPUProfile, Trace string
	// SourceMaxBytes, when set, raises the source topics'
	// max.message.bytes (and the producer's batch limit) to it, as
	// deployments that accept large events do; the other topics keep the
	// broker's default.
	SourceMaxBytes int
	// KafkaTLS runs the broker TLS only, with a throwaway CA in Dir, and
	// every client of the run (gateway, producer, tallies) over TLS: the
	// cost of TLS, beside a plaintext run.
	KafkaTLS bool

	// BrokerProc, EndpointsProc and GatewayProc are the children.
	BrokerProc, EndpointsProc, GatewayProc Component

	brokerPort int
	broker     string // host:port
	conn       *kafkaconn.Conn
	admin      string // gateway admin host:port
	config     string // gateway configuration path
}

// Broker returns the broker's address.
func (s *Stack) Broker() string { return s.broker }

// Conn returns the connection settings of the run's broker (TLS with
// KafkaTLS).
func (s *Stack) Conn() *kafkaconn.Conn {
	if s.conn == nil {
		c, err := kafkaconn.New(kafkaconn.Options{Brokers: []string{s.broker}, TLS: s.clientTLS()})
		if err != nil {
			panic(err) // only a missing broker address fails, and Broker is set first
		}
		s.conn = c
	}
	return s.conn
}

// tlsDir holds the throwaway CA of a KafkaTLS run.
func (s *Stack) tlsDir() string { return filepath.Join(s.Dir, "kafka-tls") }

// clientTLS returns the clients' TLS configuration, nil without KafkaTLS.
func (s *Stack) clientTLS() *tls.Config {
	if !s.KafkaTLS {
		return nil
	}
	pem, err := os.ReadFile(filepath.Join(s.tlsDir(), "ca.pem"))
	if err != nil {
		return &tls.Config{MinVersion: tls.VersionTLS12} // the handshake will say what is wrong
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// freePort returns a loopback port free at the time of the call.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StartBroker starts the broker (again, on the same port and data) and
// waits until it listens.
func (s *Stack) StartBroker(ctx context.Context) error {
	if s.brokerPort == 0 {
		p, err := freePort()
		if err != nil {
			return fmt.Errorf("loadtest: broker port: %w", err)
		}
		s.brokerPort = p
	}
	args := []string{"kafka", "--port", strconv.Itoa(s.brokerPort), "--partitions", strconv.Itoa(s.Partitions)}
	if s.Persist {
		args = append(args, "--data-dir", filepath.Join(s.Dir, "kafka-data"))
	}
	if s.RetentionBytes > 0 {
		args = append(args, "--retention-bytes", strconv.FormatInt(s.RetentionBytes, 10))
	}
	if s.KafkaTLS {
		args = append(args, "--tls-dev-ca", s.tlsDir())
	}
	var env []string
	if s.BrokerProcs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(s.BrokerProcs))
	}
	addrs := make(chan string, 1)
	ch, err := s.Launcher.Start("kafka", args, env, func(r io.Reader) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			// "kafka listening on HOST:PORT (security)": the address is the
			// first word.
			a, ok := strings.CutPrefix(sc.Text(), "kafka listening on ")
			if f := strings.Fields(a); ok && len(f) > 0 {
				addrs <- f[0]
			}
		}
	})
	if err != nil {
		return err
	}
	s.BrokerProc.Add(ch)
	select {
	case s.broker = <-addrs:
		return nil
	case <-ch.Done():
		return fmt.Errorf("loadtest: broker exited at start: %v; its log ends:\n%s", ch.Err(), ch.LogTail(5))
	case <-time.After(30 * time.Second):
		ch.Kill()
		return fmt.Errorf("loadtest: broker not listening after 30s")
	case <-ctx.Done():
		ch.Kill()
		return ctx.Err()
	}
}

// CreateTopics creates every topic of the run: with UseServe, the retry
// tiers "lcngw serve" derives from the configured schedule.
func (s *Stack) CreateTopics(ctx context.Context) error {
	topics, err := AllTopics(s.tierDelays())
	if err != nil {
		return err
	}
	if err := gateway.EnsureTopicsVia(ctx, s.Conn().Transport(), []string{s.broker}, topics, s.Partitions, 1); err != nil {
		return err
	}
	if s.SourceMaxBytes > 0 {
		return raiseMaxMessageBytes(ctx, s.Conn(), s.SourceMaxBytes, Topics().LCN, Topics().IPN)
	}
	return nil
}

// raiseMaxMessageBytes sets max.message.bytes of topics to limit.
func raiseMaxMessageBytes(ctx context.Context, k *kafkaconn.Conn, limit int, topics ...string) error {
	req := &kafka.IncrementalAlterConfigsRequest{}
	for _, t := range topics {
		req.Resources = append(req.Resources, kafka.IncrementalAlterConfigsRequestResource{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: t,
			Configs: []kafka.IncrementalAlterConfigsRequestConfig{{
				Name: "max.message.bytes", Value: strconv.Itoa(limit), ConfigOperation: kafka.ConfigOperationSet}},
		})
	}
	resp, err := client(k).IncrementalAlterConfigs(ctx, req)
	if err != nil {
		return fmt.Errorf("loadtest: raise max.message.bytes: %w", err)
	}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return fmt.Errorf("loadtest: raise max.message.bytes of %s: %w", r.ResourceName, r.Error)
		}
	}
	return nil
}

// tierDelays returns the retry tiers the gateway uses: the bench role's
// explicit ones, or with UseServe those "lcngw serve" derives.
func (s *Stack) tierDelays() []time.Duration {
	if !s.UseServe {
		return s.Settings.TierDelays
	}
	return s.Settings.ServeTierDelays()
}

// StartEndpoints starts the endpoints' process, its stream going to c,
// and waits until every endpoint listens.
func (s *Stack) StartEndpoints(ctx context.Context, c *Collector) error {
	spec := filepath.Join(s.Dir, "endpoints.json")
	if err := s.Topo.Spec(s.Seed).WriteFile(spec); err != nil {
		return err
	}
	ch, err := s.Launcher.Start("endpoints", []string{"bench", "receivers", "--spec", spec}, s.Topo.Env(), c.Consume)
	if err != nil {
		return err
	}
	s.EndpointsProc.Add(ch)
	select {
	case <-c.Ready():
		return nil
	case <-ch.Done():
		return fmt.Errorf("loadtest: endpoints exited at start: %v; its log ends:\n%s", ch.Err(), ch.LogTail(5))
	case <-time.After(30 * time.Second):
		ch.Kill()
		return fmt.Errorf("loadtest: endpoints not listening after 30s")
	case <-ctx.Done():
		ch.Kill()
		return ctx.Err()
	}
}

// URLs returns the endpoints' URLs in global order.
func URLs(addrs []string) []string {
	urls := make([]string, len(addrs))
	for i, a := range addrs {
		urls[i] = "http://" + a + "/notify"
	}
	return urls
}

// StartGateway starts the gateway (again) and waits until it is ready:
// both consumer groups joined and a broker answering (/readyz).
func (s *Stack) StartGateway(ctx context.Context, urls []string) error {
	ch, err := s.LaunchGateway(urls)
	if err != nil {
		return err
	}
	return s.waitReady(ctx, ch, 60*time.Second)
}

// LaunchGateway starts the gateway and returns at once, before it has
// joined its groups.
func (s *Stack) LaunchGateway(urls []string) (*Child, error) {
	if s.config == "" {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("loadtest: admin port: %w", err)
		}
		s.admin = "127.0.0.1:" + strconv.Itoa(port)
		s.config = filepath.Join(s.Dir, "gateway.yaml")
		settings := s.Settings
		if s.KafkaTLS {
			settings.KafkaCAFile = filepath.Join(s.tlsDir(), "ca.pem")
		}
		if err := settings.WriteConfig(s.config, s.Topo, urls, s.broker, s.admin); err != nil {
			return nil, err
		}
	}
	ch, err := s.Launcher.Start("gateway", s.gatewayArgs(), s.Topo.Env(), nil)
	if err != nil {
		return nil, err
	}
	s.GatewayProc.Add(ch)
	return ch, nil
}

// gatewayArgs is the gateway's command line.
func (s *Stack) gatewayArgs() []string {
	if s.UseServe {
		return []string{"serve", "--config", s.config}
	}
	args := []string{"bench", "gateway", "--config", s.config, "--tier-delays", s.Settings.TierFlag()}
	if s.CPUProfile != "" {
		args = append(args, "--cpuprofile", s.CPUProfile)
	}
	if s.Trace != "" {
		args = append(args, "--trace", s.Trace)
	}
	return args
}

// waitReady polls the gateway's /readyz until it answers 200.
func (s *Stack) waitReady(ctx context.Context, ch *Child, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get("http://" + s.admin + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ch.Done():
			return fmt.Errorf("loadtest: gateway exited at start: %v; its log ends:\n%s", ch.Err(), ch.LogTail(5))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("loadtest: gateway not ready after %v: %w", limit, errTimeout)
		}
	}
}

// Close stops every child still running: the gateway first, the broker last.
func (s *Stack) Close() {
	for _, c := range []*Component{&s.GatewayProc, &s.EndpointsProc, &s.BrokerProc} {
		if ch := c.Current(); ch != nil {
			_, _ = ch.Stop(20 * time.Second)
		}
	}
}
