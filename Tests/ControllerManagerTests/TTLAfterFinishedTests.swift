import KubeAPI
import Testing
@testable import ControllerManager

struct TTLAfterFinishedTests {
    let now = Fixtures.now

    func job(ttl: Int64?, finished: String? = "Complete", finishedAgo: Int64? = 10) -> JSONValue {
        var status: JSONValue = .emptyObject
        if let finished {
            var condition: JSONValue = ["type": .string(finished), "status": "True"]
            if let finishedAgo { condition["lastTransitionTime"] = Fixtures.time(finishedAgo) }
            status = ["conditions": [["type": "SuccessCriteriaMet", "status": "True", "lastTransitionTime": Fixtures.time(900)], condition]]
        }
        var job = JobFixtures.job(status: status)
        if let ttl { job[path: ["spec", "ttlSecondsAfterFinished"]] = .integer(ttl) }
        return job
    }

    @Test func onlyFinishedJobsWithATTLAreCleanedUp() {
        #expect(TTLAfterFinished.decide(job(ttl: nil), now: now) == .ignore)
        #expect(TTLAfterFinished.decide(job(ttl: 60, finished: nil), now: now) == .ignore)
        var deleting = job(ttl: 0)
        deleting[path: ["metadata", "deletionTimestamp"]] = Fixtures.time(1)
        #expect(TTLAfterFinished.decide(deleting, now: now) == .ignore)
    }

    @Test func theTTLCountsFromTheFinishingCondition() {
        #expect(TTLAfterFinished.decide(job(ttl: 60), now: now) == .wait(.seconds(50)))
        #expect(TTLAfterFinished.decide(job(ttl: 60, finished: "Failed", finishedAgo: 59), now: now) == .wait(.seconds(1)))
        let expired = TTLAfterFinished.decide(job(ttl: 10), now: now)
        #expect(expired == .delete(.delete(ObjectRef(kind: .job, namespace: "default", name: "pi", uid: JobFixtures.uid),
                                           propagationPolicy: "Foreground")))
        #expect(TTLAfterFinished.decide(job(ttl: 0, finishedAgo: 0), now: now) != .ignore)
    }

    @Test func aFinishedJobWithoutAFinishTimeIsAnError() {
        guard case .invalid(let message) = TTLAfterFinished.decide(job(ttl: 60, finishedAgo: nil), now: now) else {
            Issue.record("expected an error"); return
        }
        #expect(message == "unable to find the time when the Job default/pi finished")
    }
}
