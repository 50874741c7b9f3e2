package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
)

// The storage concern of the StreamEndpoint controller: do its streaming
// pods reach the object stores and IPFS nodes their videos are in? Each
// pod checks its stores at start and every 30 s, and answers
// /storagez on its metrics port; the controller asks every running pod (as
// CloudNativePG's operator asks its instances) and sums the answers up per
// store kind in the StorageReachable condition.

// StorageRecheckInterval is how often the controller asks the pods again
// while the endpoint serves stored videos.
const StorageRecheckInterval = 30 * time.Second

const (
	reasonStorageReachable = "Reachable"
	reasonNoPodAnswered    = "NoPodAnswered"
)

// storageAnswers are what the pods said of the stores, by store kind.
type storageAnswers struct {
	pods  int // pods asked
	kinds map[string]*kindAnswers
	// catalogs counts the answering pods by the catalog revision they
	// serve ("": a pod too old to say).
	catalogs map[string]int
}

// olderCatalog counts the pods that answered with another catalog than
// revision.
func (a storageAnswers) olderCatalog(revision string) int {
	n := 0
	for r, pods := range a.catalogs {
		if r != "" && r != revision {
			n += pods
		}
	}
	return n
}

type kindAnswers struct {
	reachable, unreachable int
	reasons                map[string]int // unreachable answers by reason
}

// storesOf are the store kinds a catalog's videos are in.
func storesOf(cat *catalog.Catalog) map[string]bool {
	kinds := map[string]bool{}
	for _, v := range cat.Videos {
		if v.Store != nil {
			kinds[v.Store.Kind] = true
		}
	}
	return kinds
}

// askPods gathers the streaming pods' store checks. A pod that does not
// answer counts for nothing: it may be starting.
func (r *StreamEndpointReconciler) askPods(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint) (storageAnswers, error) {
	var pods corev1.PodList
	if err := r.APIReader.List(ctx, &pods, client.InNamespace(se.Namespace), client.MatchingLabels(endpointLabels(se))); err != nil {
		return storageAnswers{}, fmt.Errorf("list streaming pods: %w", err)
	}
	out := storageAnswers{kinds: map[string]*kindAnswers{}, catalogs: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range pods.Items {
		pod := &pods.Items[i]
		if pod.Status.Phase != corev1.PodRunning || pod.Status.PodIP == "" || !pod.DeletionTimestamp.IsZero() {
			continue
		}
		out.pods++
		wg.Go(func() {
			health, err := r.storageHealth(ctx, pod.Status.PodIP)
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			out.catalogs[health.Catalog]++
			for _, h := range health.Stores {
				k := out.kinds[h.Kind]
				if k == nil {
					k = &kindAnswers{reasons: map[string]int{}}
					out.kinds[h.Kind] = k
				}
				if h.Reachable {
					k.reachable++
				} else {
					k.unreachable++
					k.reasons[h.Reason]++
				}
			}
		})
	}
	wg.Wait()
	return out, nil
}

// storageHealthClient asks pods; a pod has 2 s to answer.
var storageHealthClient = &http.Client{Timeout: 2 * time.Second}

func (r *StreamEndpointReconciler) storageHealth(ctx context.Context, podIP string) (*catalog.StorageHealth, error) {
	url := "http://" + net.JoinHostPort(podIP, strconv.Itoa(serveMetricsPort)) + catalog.StorageHealthPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := storageHealthClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	var h catalog.StorageHealth
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&h); err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return &h, nil
}

// storageCondition sets StorageReachable from the pods' answers: True
// when every answer for every kind in use is reachable, False with the
// most common refusal otherwise, Unknown while no pod answered. It is
// removed when no video is in a store.
func storageCondition(cond conditionSetter, kinds map[string]bool, answers storageAnswers) {
	if len(kinds) == 0 {
		cond.remove(streamgatev1alpha1.ConditionStorageReachable)
		return
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	failure, answered := "", false
	for _, kind := range names {
		a := answers.kinds[kind]
		if a == nil {
			parts = append(parts, fmt.Sprintf("%s: no answer yet", kind))
			continue
		}
		answered = true
		if a.unreachable == 0 {
			parts = append(parts, fmt.Sprintf("%s: reachable (%d checks)", kind, a.reachable))
			continue
		}
		reason, most := "", 0
		for r, n := range a.reasons {
			if n > most || (n == most && r < reason) {
				reason, most = r, n
			}
		}
		if failure == "" {
			failure = reason
		}
		parts = append(parts, fmt.Sprintf("%s: %s (%d of %d checks)", kind, reason, a.unreachable, a.unreachable+a.reachable))
	}
	message := strings.Join(parts, "; ") + fmt.Sprintf(", from %d streaming pods", answers.pods)
	switch {
	case failure != "":
		cond.set(streamgatev1alpha1.ConditionStorageReachable, metav1.ConditionFalse, failure, message)
	case !answered:
		cond.set(streamgatev1alpha1.ConditionStorageReachable, metav1.ConditionUnknown, reasonNoPodAnswered, message)
	default:
		cond.set(streamgatev1alpha1.ConditionStorageReachable, metav1.ConditionTrue, reasonStorageReachable, message)
	}
}
