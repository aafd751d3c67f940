import KubeAPI
import Testing
@testable import ControllerManager

struct JobTests {
    let now = Fixtures.now

    @Test func createsUpToParallelismFromTheTemplateWithTheTrackingFinalizer() throws {
        let job = JobFixtures.job(completions: 3, parallelism: 2)
        let (plan, status, _) = JobFixtures.sync(job, pods: [])
        #expect(plan.createBatches.map(\.count) == [1, 1])
        let pod = try #require(JobFixtures.createdPods(plan).first)
        #expect(pod.metadata.generateName == "pi-")
        #expect(pod.metadata.finalizers == [JobPods.trackingFinalizer])
        #expect(pod.metadata.labels["batch.kubernetes.io/controller-uid"] == JobFixtures.uid)
        #expect(pod.metadata.ownerReferences == [OwnerReference(apiVersion: "batch/v1", kind: "Job", name: "pi", uid: JobFixtures.uid,
                                                                controller: true, blockOwnerDeletion: true)])
        #expect(pod[path: ["spec", "restartPolicy"]] == "Never")
        #expect(status?["active"] == 2 && status?["ready"] == 0 && status?["terminating"] == 0)
        #expect(status?["startTime"] == .string(now.rfc3339))
        #expect(status?["uncountedTerminatedPods"] == .emptyObject)
        #expect(status?["succeeded"] == nil, "zero counters are left out, as Go's omitempty does")
    }

    @Test func aFinishedPodIsRecordedBeforeItsFinalizerComesOffAndCountedAfter() throws {
        let job = JobFixtures.job(completions: 3, parallelism: 2)
        let done = JobFixtures.pod("pi-a", phase: "Succeeded")
        let running = JobFixtures.pod("pi-b", ready: true)
        let plan = JobSync().plan(job: job, pods: [done, running], now: now)
        #expect(plan.flush?[path: ["uncountedTerminatedPods", "succeeded"]] == ["uid-pi-a"])
        #expect(plan.flush?["succeeded"] == nil, "not counted until the finalizer is off")
        #expect(plan.finalizerRemovals.map(\.uid) == ["uid-pi-a"])
        guard case .patch(let ref, .strategicMerge, let body) = plan.finalizerRemovals[0].action else { Issue.record("not a patch"); return }
        #expect(ref.name == "pi-a" && ref.uid == "uid-pi-a")
        #expect(body == ["metadata": ["$deleteFromPrimitiveList/finalizers": ["batch.kubernetes.io/job-tracking"]]])
        #expect(plan.createBatches.map(\.count) == [1], "two completions left, one running")

        let failedRemoval = JobSync().finish(plan, removed: [], now: now)
        #expect(failedRemoval.status == nil, "still uncounted: nothing new to write")
        let removed = try #require(JobSync().finish(plan, removed: ["uid-pi-a"], now: now).status)
        #expect(removed["succeeded"] == 1 && removed["active"] == 2 && removed["ready"] == 1)
        #expect(removed["uncountedTerminatedPods"] == .emptyObject)
    }

    @Test func recordedOrPendingPodsAreNeverCountedTwice() {
        let recorded = JobFixtures.job(completions: 3, parallelism: 1, status: [
            "succeeded": 1, "startTime": Fixtures.time(60), "uncountedTerminatedPods": ["succeeded": ["uid-pi-a"]]])
        let pod = JobFixtures.pod("pi-a", phase: "Succeeded")
        let plan = JobSync().plan(job: recorded, pods: [pod], now: now)
        #expect(plan.flush?[path: ["uncountedTerminatedPods", "succeeded"]] == ["uid-pi-a"])
        #expect(JobSync().finish(plan, removed: ["uid-pi-a"], now: now).status?["succeeded"] == 2)

        // The removal was sent but the cache still shows the finalizer: the pod is not counted again.
        let counted = JobFixtures.job(completions: 3, parallelism: 1, status: ["succeeded": 2, "startTime": Fixtures.time(60)])
        let pending = JobFixtures.sync(counted, pods: [pod], pending: ["uid-pi-a"])
        #expect(pending.plan.finalizerRemovals.isEmpty)
        #expect(pending.status?["succeeded"] == 2)
    }

    @Test func theLastSuccessMeetsTheCriteriaThenCompletes() throws {
        let job = JobFixtures.job(completions: 1)
        let (plan, status, events) = JobFixtures.sync(job, pods: [JobFixtures.pod("pi-a", phase: "Succeeded")])
        #expect(JobFixtures.conditionTypes(plan.flush) == ["SuccessCriteriaMet"])
        #expect(JobFixtures.conditionTypes(status) == ["SuccessCriteriaMet", "Complete"])
        let complete = try #require(status?["conditions"]?[1])
        #expect(complete["reason"] == "CompletionsReached" && complete["status"] == "True")
        #expect(status?["completionTime"] == .string(now.rfc3339) && status?["succeeded"] == 1)
        #expect(events.map(\.reason) == ["Completed"])

        var finished = job
        finished["status"] = status
        let after = JobSync().plan(job: finished, pods: [], now: now)
        #expect(after.flush == nil && after.creations.isEmpty && after.tracking == nil, "a finished Job is left alone")
    }

    @Test func pastTheBackoffLimitActivePodsAreDeletedAndTheJobFailsOnceTheyAreGone() throws {
        let job = JobFixtures.job(completions: 5, parallelism: 2, backoffLimit: 1)
        let pods = [JobFixtures.pod("pi-a", phase: "Failed"), JobFixtures.pod("pi-b", phase: "Failed"), JobFixtures.pod("pi-c")]
        let (plan, status, events) = JobFixtures.sync(job, pods: pods)
        #expect(plan.deletions == [.delete(ObjectRef(pods[2], kind: .pod))], "the finalizer stays until the pod is counted")
        #expect(plan.creations.isEmpty)
        #expect(JobFixtures.conditionTypes(status) == ["FailureTarget"])
        #expect(status?["conditions"]?[0]?["reason"] == "BackoffLimitExceeded")
        #expect(Set(plan.finalizerRemovals.map(\.uid)) == ["uid-pi-a", "uid-pi-b", "uid-pi-c"])
        #expect(status?["failed"] == 3, "the deleted pod counts as failed")
        #expect(status?["terminating"] == 1 && status?["active"] == nil)
        #expect(!events.contains { $0.reason == "BackoffLimitExceeded" }, "Failed waits for the pod to terminate")

        var failing = job
        failing["status"] = status
        let terminating = JobFixtures.pod("pi-c", phase: "Running", finalizer: false, deleting: true)
        #expect(JobFixtures.sync(failing, pods: [terminating]).events.isEmpty)
        let (_, final, finalEvents) = JobFixtures.sync(failing, pods: [])
        #expect(JobFixtures.conditionTypes(final) == ["FailureTarget", "Failed"])
        #expect(final?["conditions"]?[1]?["reason"] == "BackoffLimitExceeded")
        #expect(final?["completionTime"] == nil)
        #expect(finalEvents == [ControllerEvent("Warning", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")])
    }

    @Test func restartsCountAgainstTheBackoffLimitWithRestartPolicyOnFailure() {
        let job = JobFixtures.job(backoffLimit: 2, restartPolicy: "OnFailure")
        let status = JobFixtures.sync(job, pods: [JobFixtures.pod("pi-a", restarts: 2)]).status
        #expect(status?["conditions"]?[0]?["reason"] == "BackoffLimitExceeded")
        let below = JobFixtures.sync(job, pods: [JobFixtures.pod("pi-a", restarts: 1)]).status
        #expect(JobFixtures.conditionTypes(below).isEmpty)
    }

    @Test func theActiveDeadlineRequeuesUntilItPassesThenFailsTheJob() {
        let started = JobFixtures.job(activeDeadlineSeconds: 60, status: ["startTime": Fixtures.time(30), "active": 1])
        let pod = JobFixtures.pod("pi-a")
        #expect(JobSync().plan(job: started, pods: [pod], now: now).requeueAfterSeconds == 30)
        let late = JobFixtures.job(activeDeadlineSeconds: 60, status: ["startTime": Fixtures.time(61), "active": 1])
        let (plan, status, _) = JobFixtures.sync(late, pods: [pod])
        #expect(plan.deletions.count == 1)
        #expect(status?["conditions"]?[0]?["reason"] == "DeadlineExceeded")
        #expect(status?["conditions"]?[0]?["message"] == "Job was active longer than specified deadline")
    }

    @Test func suspendingDeletesActivePodsAndResumingRestartsTheClock() throws {
        let pods = [JobFixtures.pod("pi-a", ready: true), JobFixtures.pod("pi-b")]
        let suspended = JobFixtures.job(completions: 4, parallelism: 2, suspend: true, status: ["startTime": Fixtures.time(300), "active": 2])
        let (plan, status, events) = JobFixtures.sync(suspended, pods: pods)
        #expect(plan.deletions.count == 4, "each pod loses its finalizer, then is deleted")
        guard case .patch = plan.deletions[0], case .delete = plan.deletions[1] else { Issue.record("patch then delete"); return }
        #expect(plan.deletedPods.count == 2)
        #expect(status?["active"] == nil && status?["terminating"] == 2 && status?["ready"] == 0)
        #expect(status?["conditions"]?[0]?["type"] == "Suspended" && status?["conditions"]?[0]?["reason"] == "JobSuspended")
        #expect(events.filter { $0.reason == "Suspended" }.count == 1)
        #expect(status?["failed"] == nil, "pods removed by the controller are not failures")

        var resumed = JobFixtures.job(completions: 4, parallelism: 2)
        resumed["status"] = status
        let (again, after, resumeEvents) = JobFixtures.sync(resumed, pods: [])
        #expect(again.creations.count == 2)
        #expect(after?["conditions"]?[0]?["status"] == "False" && after?["conditions"]?[0]?["reason"] == "JobResumed")
        #expect(after?["startTime"] == .string(now.rfc3339))
        #expect(resumeEvents.map(\.reason) == ["Resumed"])
    }

    @Test func workQueueJobsFinishWhenOnePodSucceededAndNoneRuns() {
        let job = JobFixtures.job(completions: nil, parallelism: 3)
        #expect(JobFixtures.sync(job, pods: []).plan.creations.count == 3)
        let oneDone = [JobFixtures.pod("pi-a", phase: "Succeeded"), JobFixtures.pod("pi-b")]
        let (plan, status, _) = JobFixtures.sync(job, pods: oneDone)
        #expect(plan.creations.isEmpty, "after a success, nothing new starts")
        #expect(JobFixtures.conditionTypes(status).isEmpty)
        let allDone = [JobFixtures.pod("pi-a", phase: "Succeeded"), JobFixtures.pod("pi-b", phase: "Succeeded")]
        #expect(JobFixtures.conditionTypes(JobFixtures.sync(job, pods: allDone).status) == ["SuccessCriteriaMet", "Complete"])
    }

    @Test func indexedJobsCreateTheLowestMissingIndexesWithTheirIdentity() throws {
        let job = JobFixtures.job(completions: 4, parallelism: 2, mode: "Indexed",
                                  status: ["completedIndexes": "0", "succeeded": 1, "startTime": Fixtures.time(60)])
        let running = JobFixtures.pod("pi-1-x", index: 1)
        let (plan, status, _) = JobFixtures.sync(job, pods: [running])
        let pod = try #require(JobFixtures.createdPods(plan).first)
        #expect(plan.creations.count == 1)
        #expect(pod.metadata.generateName == "pi-2-")
        #expect(pod.metadata.annotations[JobPods.completionIndexKey] == "2")
        #expect(pod.metadata.labels[JobPods.completionIndexKey] == "2")
        #expect(pod[path: ["spec", "hostname"]] == "pi-2")
        #expect(pod[path: ["spec", "containers"]]?[0]?["env"] == [["name": "JOB_COMPLETION_INDEX",
            "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"]]]])
        #expect(status?["completedIndexes"] == "0")

        let finished = [JobFixtures.pod("pi-1-x", phase: "Succeeded", index: 1), JobFixtures.pod("pi-3-x", phase: "Succeeded", index: 3),
                        JobFixtures.pod("pi-2-x", index: 2)]
        let counted = JobFixtures.sync(job, pods: finished).status
        #expect(counted?["completedIndexes"] == "0,1,3" && counted?["succeeded"] == 3)
        #expect(counted?["uncountedTerminatedPods"] == .emptyObject, "indexes, not uids, record Indexed successes")
    }

    @Test func indexedJobsDeleteRepeatedAndInvalidIndexes() {
        let job = JobFixtures.job(completions: 3, parallelism: 3, mode: "Indexed", status: ["startTime": Fixtures.time(60)])
        let pods = [JobFixtures.pod("pi-0-a", ready: true, index: 0), JobFixtures.pod("pi-0-b", index: 0),
                    JobFixtures.pod("pi-7-a", index: 7), JobFixtures.pod("stray"), JobFixtures.pod("pi-1-a", index: 1)]
        let plan = JobSync().plan(job: job, pods: pods, now: now)
        #expect(Set(Fixtures.deletedNames(plan.deletions)) == ["pi-0-b", "pi-7-a", "stray"], "the ready pod of index 0 stays")
        #expect(plan.creations.isEmpty, "deleting and creating never happen in one sync")
    }

    @Test func indexIntervalsReadAndWriteTheStatusFormat() {
        let parsed = IndexIntervals(parsing: "0-2,4,6,7,9-12", completions: 11)
        #expect(parsed.description == "0-2,4,6,7,9,10", "indexes past completions are dropped")
        #expect(parsed.count == 8)
        #expect(parsed.contains(10) && !parsed.contains(5))
        #expect(IndexIntervals([5, 1, 2, 3]).description == "1-3,5")
        #expect(IndexIntervals([1, 2]).description == "1,2")
        #expect(IndexIntervals([3]).union(IndexIntervals([4, 2])).description == "2-4")
        #expect(parsed.firstMissing(3, below: 11) == [3, 5, 8])
        #expect(IndexIntervals().firstMissing(2, below: 1) == [0])
        #expect(IndexIntervals(parsing: "x,1", completions: 3).description == "1")
    }

    @Test func failedPodsAreReplacedAfterAGrowingBackoff() {
        let failures = [JobFixtures.pod("pi-a", phase: "Failed"), JobFixtures.pod("pi-b", phase: "Failed")]
        let record = JobBackoff().adding(succeeded: [], failed: failures)
        #expect(record.failuresAfterLastSuccess == 2)
        let failedAt = JobPods.finishedTime(failures[0])
        #expect(record.remainingSeconds(now: failedAt) == 20)
        #expect(record.remainingSeconds(now: failedAt.adding(seconds: 25)) == 0)
        #expect(JobBackoff(failuresAfterLastSuccess: 9, lastFailureTime: now).remainingSeconds(now: now) == 600)
        #expect(record.adding(succeeded: [JobFixtures.pod("pi-c", phase: "Succeeded")], failed: []) == JobBackoff())

        let job = JobFixtures.job(completions: 2, parallelism: 2, status: ["startTime": Fixtures.time(60)])
        let plan = JobSync().plan(job: job, pods: failures, backoff: JobBackoff(), now: failedAt.adding(seconds: 5))
        #expect(plan.creations.isEmpty && plan.requeueAfterSeconds == 15)
    }

    @Test func orphansAndPodsOfFinishedJobsLoseTheirFinalizer() {
        let orphan = JobFixtures.pod("orphan")
        var unowned = orphan
        unowned.metadata.ownerReferences = []
        #expect(JobPods.orphanFinalizerRemoval(unowned, owner: nil) != nil)
        #expect(JobPods.orphanFinalizerRemoval(orphan, owner: nil) != nil, "its Job is gone")
        #expect(JobPods.orphanFinalizerRemoval(orphan, owner: JobFixtures.job()) == nil, "its Job still runs")
        let finished = JobFixtures.job(status: ["conditions": [["type": "Complete", "status": "True"]]])
        #expect(JobPods.orphanFinalizerRemoval(orphan, owner: finished) != nil)
        var replaced = JobFixtures.job()
        replaced.metadata.uid = "other"
        #expect(JobPods.orphanFinalizerRemoval(orphan, owner: replaced) != nil, "a namesake is not its Job")
        var foreign = orphan
        foreign.metadata.ownerReferences = [Fixtures.ownerRef(Fixtures.replicaSet())]
        #expect(JobPods.orphanFinalizerRemoval(foreign, owner: nil) == nil)
    }

    @Test func orphanedMatchingPodsAreAdoptedWithTheFinalizer() throws {
        var orphan = JobFixtures.pod("pi-x", finalizer: false)
        orphan.metadata.ownerReferences = []
        let plan = JobSync().plan(job: JobFixtures.job(completions: 2), pods: [orphan], now: now)
        guard case .patch(_, .strategicMerge, let body) = try #require(plan.claim.first) else { Issue.record("no adoption"); return }
        #expect(body[path: ["metadata", "finalizers"]] == ["batch.kubernetes.io/job-tracking"])
        #expect(plan.creations.count == 0, "the adopted pod runs; parallelism 1")
    }

    @Test func aJobOfThreeCompletionsNeverRunsMoreThanTwoPodsAndCompletes() throws {
        let sim = try JobCluster.run(JobFixtures.job(completions: 3, parallelism: 2)) { _ in "Succeeded" }
        let done = try #require(sim.job)
        #expect(sim.maxActive == 2)
        #expect(done[path: ["status", "succeeded"]] == 3)
        #expect(done[path: ["status", "failed"]] == nil)
        #expect(JobView(done).finishedType == "Complete")
        #expect(JobFixtures.conditionTypes(done["status"]) == ["SuccessCriteriaMet", "Complete"])
        #expect(done[path: ["status", "completionTime"]] != nil)
        #expect(sim.cluster.list("Pod").count == 3)
        #expect(sim.cluster.list("Pod").allSatisfy { !JobPods.hasTrackingFinalizer($0) }, "every pod was counted")
    }

    @Test func aFailingJobWithBackoffLimitTwoFailsAfterThreeFailedPods() throws {
        let sim = try JobCluster.run(JobFixtures.job(completions: 1, backoffLimit: 2)) { _ in "Failed" }
        let failed = try #require(sim.job)
        #expect(sim.cluster.list("Pod").count == 3)
        #expect(failed[path: ["status", "failed"]] == 3)
        #expect(JobView(failed).finishedType == "Failed")
        #expect(JobFixtures.condition(failed, "Failed")?["reason"] == "BackoffLimitExceeded")
        #expect(JobFixtures.condition(failed, "FailureTarget")?["reason"] == "BackoffLimitExceeded")
        #expect(sim.maxActive == 1)
    }
}
