package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/receiver"
)

// minimalACLs is the ACL set docs/operations.md documents for lcngw serve
// and lcngw replay with the default topic and group names.
func minimalACLs() []kfake.ACL {
	topic, group := kmsg.ACLResourceTypeTopic, kmsg.ACLResourceTypeGroup
	lit, pre := kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLResourcePatternTypePrefixed
	a := func(res kmsg.ACLResourceType, pat kmsg.ACLResourcePatternType, name string, op kmsg.ACLOperation) kfake.ACL {
		return kfake.ACL{Resource: res, Pattern: pat, Name: name, Operation: op, Allow: true}
	}
	read, write, describe := kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationDescribe
	var acls []kfake.ACL
	for _, t := range []string{"lcngw.subscriptions", "lcngw.orders"} {
		acls = append(acls, a(topic, lit, t, read), a(topic, lit, t, write), a(topic, lit, t, describe))
	}
	acls = append(acls,
		a(topic, pre, "lcngw.retry.", read), a(topic, pre, "lcngw.retry.", write), a(topic, pre, "lcngw.retry.", describe),
		a(topic, lit, "lcngw.dead-letter", read), a(topic, lit, "lcngw.dead-letter", write), a(topic, lit, "lcngw.dead-letter", describe),
		a(topic, lit, "lcngw.attempts", write), a(topic, lit, "lcngw.attempts", describe),
		a(group, pre, "lcngw", read), a(group, pre, "lcngw", describe),
	)
	return acls
}

// aclBroker starts a broker that enforces ACLs, with an admin superuser
// that creates the topics and the lcngw user holding acls; the helpers
// connect as admin.
func aclBroker(t *testing.T, acls []kfake.ACL) *kafkatest.Cluster {
	t.Helper()
	b := kafkatest.New(t, kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser(config.SASLScramSHA512, "admin", "admin-pw"),
		kfake.User(config.SASLScramSHA512, kafkaUser, kafkaPassword, acls...))
	admin, err := kafkaconn.New(kafkaconn.Options{Brokers: b.Brokers(), SASL: &kafkaconn.SASL{
		Mechanism: config.SASLScramSHA512, Username: "admin", Password: config.NewSecret([]byte("admin-pw"))}})
	if err != nil {
		t.Fatal(err)
	}
	b.Connect(admin.Dialer(), admin.Transport())
	b.CreateTopics(2, "lcngw.subscriptions", "lcngw.orders", "lcngw.dead-letter", "lcngw.attempts")
	return b
}

const aclSecurity = "  sasl: {mechanism: SCRAM-SHA-512, username: " + kafkaUser + ", password_env: " + kafkaPwEnv + "}\n"

// aclConfig writes a configuration for the ACL broker, with the default
// group name the documented ACLs name.
func aclConfig(t *testing.T, b *kafkatest.Cluster, url string) string {
	t.Helper()
	path := securedConfig(t, b.Brokers(), url, aclSecurity)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "group_id: cli-test", "group_id: lcngw", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// createTiers creates, as the admin, the retry tiers the configuration at
// path derives.
func createTiers(t *testing.T, b *kafkatest.Cluster, path string) {
	t.Helper()
	cfg, err := config.Open(config.Sources{Path: path, Environ: os.Environ(), Catalogues: config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := gateway.FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := gateway.NewTiers(cfg.Kafka.Topics.Retry, opts.TierDelays)
	if err != nil {
		t.Fatal(err)
	}
	b.CreateTopics(2, tiers.Topics()...)
}

// TestServeWithMinimalACLs: the documented ACL set is enough to deliver,
// and each permission missing from it stops serve with a line naming it.
func TestServeWithMinimalACLs(t *testing.T) {
	b := aclBroker(t, minimalACLs())
	var mu sync.Mutex
	delivered := 0
	rcv := httptest.NewServer(receiver.Middleware(receiver.Config{Secrets: [][]byte{[]byte(serveSecret)}})(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { mu.Lock(); delivered++; mu.Unlock() })))
	t.Cleanup(rcv.Close)
	path := aclConfig(t, b, rcv.URL+"/lcn")
	// The lcngw user may not create topics.
	code, _, errs := run(t, "", "serve", "--config", path, "--create-topics", "1")
	if code != exitFailed || !strings.Contains(errs, "not authorized (creating topics needs the Create ACL") {
		t.Fatalf("exit %d, stderr %q: want the Create ACL named", code, errs)
	}
	code, _, errs = run(t, "", "serve", "--config", path)
	if code != exitFailed || !strings.Contains(errs, "missing topics lcngw.retry.") || !strings.Contains(errs, "--create-topics") {
		t.Fatalf("exit %d, stderr %q: want the missing retry tiers and --create-topics", code, errs)
	}
	createTiers(t, b, path)

	srv := startServe(t, "--config", path, "--admin", "127.0.0.1:0")
	event, err := lcn.Example("")
	if err != nil {
		t.Fatal(err)
	}
	b.Produce(kafka.Message{Topic: "lcngw.subscriptions", Key: []byte("k"), Value: event})
	srv.waitFor(t, 30*time.Second, "notification not delivered with the minimal ACLs", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return delivered == 1
	})
	srv.stop(t)
	code, out, errs := run(t, "", "replay", "--config", path, "--dry-run")
	if code != 0 {
		t.Fatalf("replay with the minimal ACLs: exit %d, %q %q", code, out, errs)
	}
}

func TestServeNamesMissingACL(t *testing.T) {
	for _, drop := range []struct {
		name, resource string
		op             kmsg.ACLOperation
		want           string
	}{
		{"write dead letters", "lcngw.dead-letter", kmsg.ACLOperationWrite, "Write on topic lcngw.dead-letter"},
		{"read orders", "lcngw.orders", kmsg.ACLOperationRead, "Read on topic lcngw.orders"},
		{"read the group", "lcngw", kmsg.ACLOperationRead, "Read on group lcngw"},
	} {
		t.Run(drop.name, func(t *testing.T) {
			acls := slices.DeleteFunc(minimalACLs(), func(a kfake.ACL) bool { return a.Name == drop.resource && a.Operation == drop.op })
			b := aclBroker(t, acls)
			path := aclConfig(t, b, "https://merchant.example/lcn")
			noCheckOnStart(t, path)
			createTiers(t, b, path)
			code, _, errs := run(t, "", "serve", "--config", path)
			if code != exitFailed || !strings.Contains(errs, `kafka ACLs: user "lcngw" lacks `) || !strings.Contains(errs, drop.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errs, drop.want)
			}
		})
	}
}
