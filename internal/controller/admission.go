package controller

import (
	"context"
	"sort"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// admission keeps, per namespace, the queue of TranscodeJobs waiting for a
// slot under the cap and the transcode Jobs that hold one, as the
// informers show them. Its event handlers keep it current, so a decision
// costs a binary search rather than a LIST of the namespace, and a slot
// that frees wakes only the next in line: draining a queue of Q costs O(Q),
// not O(Q²) reconciles and writes.
type admission struct {
	limit int
	now   func() time.Time

	mu         sync.Mutex
	namespaces map[string]*namespaceQueue
}

type namespaceQueue struct {
	// waiting is ordered by creation, then name: first come, first served.
	waiting []queueEntry
	// created finds a waiting TranscodeJob's entry by name.
	created map[string]time.Time
	// running are the transcode Jobs that have not finished.
	running map[string]struct{}
	// starting are Jobs created by an admission that the Job informer has
	// not shown yet; they hold their slot meanwhile, so that two
	// reconciles cannot both take the last one.
	starting map[string]time.Time
}

type queueEntry struct {
	created time.Time
	name    string
}

func (a queueEntry) before(b queueEntry) bool {
	return a.created.Before(b.created) || (a.created.Equal(b.created) && a.name < b.name)
}

// startingTimeout frees the slot of a created Job the informer never
// showed (deleted at once, say): its watch event is long overdue.
const startingTimeout = time.Minute

func newAdmission(limit int, now func() time.Time) *admission {
	if now == nil {
		now = time.Now
	}
	return &admission{limit: limit, now: now, namespaces: map[string]*namespaceQueue{}}
}

func (a *admission) queue(namespace string) *namespaceQueue {
	q := a.namespaces[namespace]
	if q == nil {
		q = &namespaceQueue{created: map[string]time.Time{}, running: map[string]struct{}{}, starting: map[string]time.Time{}}
		a.namespaces[namespace] = q
	}
	return q
}

// forget drops a namespace that holds nothing, so the map stays as large
// as the namespaces with transcodes.
func (a *admission) forget(namespace string) {
	if q := a.namespaces[namespace]; q != nil && len(q.waiting) == 0 && len(q.running) == 0 && len(q.starting) == 0 {
		delete(a.namespaces, namespace)
	}
}

func (q *namespaceQueue) find(e queueEntry) (int, bool) {
	i := sort.Search(len(q.waiting), func(i int) bool { return !q.waiting[i].before(e) })
	return i, i < len(q.waiting) && q.waiting[i] == e
}

func (q *namespaceQueue) insert(e queueEntry) int {
	i, found := q.find(e)
	if !found {
		q.waiting = append(q.waiting, queueEntry{})
		copy(q.waiting[i+1:], q.waiting[i:])
		q.waiting[i] = e
		q.created[e.name] = e.created
	}
	return i
}

// remove drops a waiting TranscodeJob by name.
func (q *namespaceQueue) remove(name string) {
	created, ok := q.created[name]
	if !ok {
		return
	}
	delete(q.created, name)
	if i, found := q.find(queueEntry{created: created, name: name}); found {
		q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
	}
}

func (a *admission) free(q *namespaceQueue) int {
	now := a.now()
	for name, at := range q.starting {
		if now.Sub(at) > startingTimeout {
			delete(q.starting, name)
		}
	}
	return a.limit - len(q.running) - len(q.starting)
}

func entryOf(tj *streamgatev1alpha1.TranscodeJob) queueEntry {
	return queueEntry{created: tj.CreationTimestamp.Time, name: tj.Name}
}

// waitsForSlot is a TranscodeJob that has no Job yet and will want one.
func waitsForSlot(tj *streamgatev1alpha1.TranscodeJob) bool {
	return tj.DeletionTimestamp.IsZero() && tj.Status.JobRef == nil && !isFinal(tj.Status.Phase)
}

// admit says whether tj may create its Job now, taking a slot if so; else
// how many wait in line ahead of it. A nil admission (no cap) admits all.
func (a *admission) admit(tj *streamgatev1alpha1.TranscodeJob) (bool, int) {
	if a == nil {
		return true, 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queue(tj.Namespace)
	if _, ok := q.running[tj.Name]; ok {
		return true, 0 // its Job exists; the cache that said otherwise was behind
	}
	if _, ok := q.starting[tj.Name]; ok {
		return true, 0
	}
	free := a.free(q)
	position := q.insert(entryOf(tj))
	if position < free {
		q.remove(tj.Name)
		q.starting[tj.Name] = a.now()
		return true, 0
	}
	return false, position
}

// release gives back the slot of an admission whose Job could not be
// created; the TranscodeJob keeps its place in the queue.
func (a *admission) release(tj *streamgatev1alpha1.TranscodeJob) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queue(tj.Namespace)
	delete(q.starting, tj.Name)
	if waitsForSlot(tj) {
		q.insert(entryOf(tj))
	}
}

// next are the waiting TranscodeJobs that fit in the free slots.
func (a *admission) next(namespace string, q *namespaceQueue) []reconcile.Request {
	var out []reconcile.Request
	for i := 0; i < len(q.waiting) && i < a.free(q); i++ {
		out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: namespace, Name: q.waiting[i].name}})
	}
	return out
}

// observeTranscodeJob follows a TranscodeJob's place in its namespace's queue.
func (a *admission) observeTranscodeJob(tj *streamgatev1alpha1.TranscodeJob, deleted bool) []reconcile.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queue(tj.Namespace)
	if deleted || !waitsForSlot(tj) {
		q.remove(tj.Name)
		if deleted {
			delete(q.starting, tj.Name)
			defer a.forget(tj.Namespace)
			return a.next(tj.Namespace, q) // a slot it held may be free
		}
		return nil
	}
	if _, ok := q.running[tj.Name]; !ok {
		if _, ok := q.starting[tj.Name]; !ok {
			q.insert(entryOf(tj))
		}
	}
	return nil
}

// observeJob follows the slots: a transcode Job holds one until it
// finishes or goes. It returns the TranscodeJobs to wake.
func (a *admission) observeJob(job *batchv1.Job, deleted bool) []reconcile.Request {
	if _, ok := job.Labels[labelTranscodeJob]; !ok || job.Labels[labelComponent] == componentOutputCleanup {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queue(job.Namespace)
	delete(q.starting, job.Name)
	q.remove(job.Name)
	_, held := q.running[job.Name]
	if !deleted && !jobFinished(job) {
		q.running[job.Name] = struct{}{}
		return nil
	}
	delete(q.running, job.Name)
	defer a.forget(job.Namespace)
	if !held {
		return nil
	}
	return a.next(job.Namespace, q)
}

// handlers keep the admission current from the TranscodeJob and Job
// informers, and wake the next in line when a slot frees.
func (a *admission) transcodeJobHandler() handler.EventHandler {
	return admissionHandler(func(obj client.Object, deleted bool) []reconcile.Request {
		tj, ok := obj.(*streamgatev1alpha1.TranscodeJob)
		if !ok {
			return nil
		}
		return a.observeTranscodeJob(tj, deleted)
	})
}

func (a *admission) jobHandler() handler.EventHandler {
	return admissionHandler(func(obj client.Object, deleted bool) []reconcile.Request {
		job, ok := obj.(*batchv1.Job)
		if !ok {
			return nil
		}
		return a.observeJob(job, deleted)
	})
}

func admissionHandler(observe func(obj client.Object, deleted bool) []reconcile.Request) handler.EventHandler {
	add := func(q workqueue.TypedRateLimitingInterface[reconcile.Request], requests []reconcile.Request) {
		for _, r := range requests {
			q.Add(r)
		}
	}
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(q, observe(e.Object, false))
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(q, observe(e.ObjectNew, false))
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(q, observe(e.Object, true))
		},
	}
}
