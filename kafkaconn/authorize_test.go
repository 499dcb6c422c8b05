package kafkaconn_test

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/kafkaconn"
)

func allow(res kmsg.ACLResourceType, name string, op kmsg.ACLOperation) kfake.ACL {
	return kfake.ACL{Resource: res, Name: name, Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: op, Allow: true}
}

// TestAuthorize runs against a broker that enforces ACLs, with one user
// granted everything a gateway needs and one missing a permission of each
// kind.
func TestAuthorize(t *testing.T) {
	topic, group := kmsg.ACLResourceTypeTopic, kmsg.ACLResourceTypeGroup
	read, write, describe := kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationDescribe
	full := []kfake.ACL{
		allow(topic, "src", read), allow(topic, "src", describe),
		allow(topic, "dlq", write), allow(topic, "dlq", describe),
		allow(group, "gw", read),
	}
	partial := []kfake.ACL{
		allow(topic, "src", describe), // no Read
		allow(topic, "dlq", describe), // no Write
		// no Read on the group
	}
	addr := cluster(t, kfake.SeedTopics(1, "src", "dlq", "secret-topic"), kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser(config.SASLScramSHA512, "admin", "admin-pw"),
		kfake.User(config.SASLScramSHA512, "full", password, full...),
		kfake.User(config.SASLScramSHA512, "partial", password, partial...))
	need := kafkaconn.Need{Read: []string{"src"}, Write: []string{"dlq"}, Groups: []string{"gw"}}
	as := func(user string) *kafkaconn.Conn {
		return conn(t, kafkaconn.Options{Brokers: []string{addr},
			SASL: &kafkaconn.SASL{Mechanism: config.SASLScramSHA512, Username: user, Password: config.NewSecret([]byte(password))}})
	}
	if err := as("full").Authorize(context.Background(), need); err != nil {
		t.Fatalf("the minimal ACL set: %v", err)
	}
	err := as("partial").Authorize(context.Background(), need)
	if err == nil {
		t.Fatal("missing permissions passed")
	}
	msg := err.Error()
	for _, want := range []string{`user "partial" lacks`, "Read on topic src", "Write on topic dlq", "Read on group gw"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	err = as("full").Authorize(context.Background(), kafkaconn.Need{Read: []string{"secret-topic"}})
	if err == nil || !strings.Contains(err.Error(), "Describe on topic secret-topic") {
		t.Errorf("a topic the user may not even see: %v", err)
	}
}
