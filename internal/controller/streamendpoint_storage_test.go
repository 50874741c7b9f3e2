package controller

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
)

func TestStorageConditionSumsUpThePodsAnswers(t *testing.T) {
	both := map[string]bool{catalog.StoreS3: true, catalog.StoreIPFS: true}
	answers := func(pods int, kinds map[string]*kindAnswers) storageAnswers {
		return storageAnswers{pods: pods, kinds: kinds}
	}
	for _, tc := range []struct {
		name    string
		kinds   map[string]bool
		answers storageAnswers
		status  metav1.ConditionStatus
		reason  string
		message string
	}{
		{"every pod reaches every store", both, answers(2, map[string]*kindAnswers{
			catalog.StoreS3: {reachable: 2}, catalog.StoreIPFS: {reachable: 2}}),
			metav1.ConditionTrue, "Reachable", "ipfs: reachable (2 checks); s3: reachable (2 checks), from 2 streaming pods"},
		{"refused credentials win over a reachable node", both, answers(2, map[string]*kindAnswers{
			catalog.StoreS3:   {unreachable: 2, reasons: map[string]int{"CredentialsRefused": 2}},
			catalog.StoreIPFS: {reachable: 2}}),
			metav1.ConditionFalse, "CredentialsRefused", "s3: CredentialsRefused (2 of 2 checks)"},
		{"the most common reason names the failure", map[string]bool{catalog.StoreS3: true}, answers(3, map[string]*kindAnswers{
			catalog.StoreS3: {reachable: 1, unreachable: 2, reasons: map[string]int{"StorageUnreachable": 1, "BucketNotFound": 1}}}),
			metav1.ConditionFalse, "BucketNotFound", "s3: BucketNotFound (2 of 3 checks), from 3 streaming pods"},
		{"no pod answered yet", map[string]bool{catalog.StoreIPFS: true}, answers(1, map[string]*kindAnswers{}),
			metav1.ConditionUnknown, "NoPodAnswered", "ipfs: no answer yet, from 1 streaming pods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var conditions []metav1.Condition
			storageCondition(conditionSetter{conditions: &conditions, generation: 1}, tc.kinds, tc.answers)
			c := findCondition(conditions, streamgatev1alpha1.ConditionStorageReachable)
			if c == nil || c.Status != tc.status || c.Reason != tc.reason || !strings.Contains(c.Message, tc.message) {
				t.Fatalf("condition %+v, want %s %s %q", c, tc.status, tc.reason, tc.message)
			}
		})
	}
	// An endpoint with no stored video has no such condition.
	conditions := []metav1.Condition{{Type: streamgatev1alpha1.ConditionStorageReachable, Status: metav1.ConditionTrue, Reason: "Reachable"}}
	storageCondition(conditionSetter{conditions: &conditions, generation: 1}, nil, storageAnswers{})
	if findCondition(conditions, streamgatev1alpha1.ConditionStorageReachable) != nil {
		t.Fatal("the condition stayed after the last stored video went")
	}
}
