//! Follow-up by owner and by meeting, against action items counted here as they are generated,
//! and the Lampung rakor of the demo data.

use super::*;

#[tokio::test]
async fn follow_up_counts_match_independent_counts() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let w = world(&app).await;
    let meeting = sinergi::services::new_id();
    entity::meeting::Entity::insert(entity::meeting::ActiveModel {
        id: Set(meeting.clone()),
        title: Set("Rakor Uji".into()),
        level: Set(MeetingLevel::Regency),
        region_code: Set("98.01".into()),
        held_on: Set(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()),
        host_id: Set(w.orgs[0].0.clone()),
        location: Set(None),
        minutes: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
    let decision = sinergi::services::new_id();
    entity::decision::Entity::insert(entity::decision::ActiveModel {
        id: Set(decision.clone()),
        meeting_id: Set(meeting.clone()),
        position: Set(0),
        text: Set("Uji".into()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
    let statuses = [
        ActionItemStatus::Open,
        ActionItemStatus::InProgress,
        ActionItemStatus::Done,
        ActionItemStatus::Dropped,
    ];
    let mut rng = Lcg(7);
    let mut want: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    for _ in 0..40 {
        let owner = w.orgs[rng.next(4) as usize].0.clone();
        let status = statuses[rng.next(4) as usize];
        let due = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
            + chrono::Duration::days(rng.next(2000) as i64);
        let e = want.entry(owner.clone()).or_default();
        e[status as usize] += 1;
        if matches!(
            status,
            ActionItemStatus::Open | ActionItemStatus::InProgress
        ) && due < today
        {
            e[4] += 1;
        }
        entity::action_item::Entity::insert(entity::action_item::ActiveModel {
            id: Set(sinergi::services::new_id()),
            decision_id: Set(decision.clone()),
            meeting_id: Set(meeting.clone()),
            text: Set("Tugas".into()),
            owner_id: Set(owner),
            due_on: Set(Some(due)),
            status: Set(status),
            version: Set(1),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
        })
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    let d = app.data(r#"{ followUpByOwner(region: "98.01") { owner { id } actionItems { open inProgress done dropped overdue } }
        followUpByMeeting(region: "98") { meeting { id } decisions decisionsDone actionItems { open inProgress done dropped overdue } } }"#, json!({})).await;
    let owners = d["followUpByOwner"].as_array().unwrap();
    assert_eq!(owners.len(), want.len());
    for o in owners {
        let c = &o["actionItems"];
        let got = [
            c["open"].as_i64().unwrap(),
            c["inProgress"].as_i64().unwrap(),
            c["done"].as_i64().unwrap(),
            c["dropped"].as_i64().unwrap(),
            c["overdue"].as_i64().unwrap(),
        ];
        assert_eq!(got, want[o["owner"]["id"].as_str().unwrap()]);
    }
    let overdue: Vec<i64> = owners
        .iter()
        .map(|o| o["actionItems"]["overdue"].as_i64().unwrap())
        .collect();
    assert!(
        overdue.windows(2).all(|p| p[0] >= p[1]),
        "most overdue first"
    );
    let meetings = d["followUpByMeeting"].as_array().unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(
        meetings[0]["actionItems"]["done"].as_i64().unwrap(),
        want.values().map(|v| v[2]).sum::<i64>()
    );
    assert_eq!(meetings[0]["decisions"], 1);
    let all_finished = want.values().all(|v| v[0] == 0 && v[1] == 0);
    assert_eq!(
        meetings[0]["decisionsDone"],
        if all_finished { 1 } else { 0 }
    );

    // On the demo data: the Lampung rakor's six decisions, one of which (the BDT) is done.
    app.load_demo().await;
    let d = app
        .data(
            r#"{ followUpByMeeting(region: "18") { decisions decisionsDone } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["followUpByMeeting"][0]["decisions"], 6);
    assert_eq!(d["followUpByMeeting"][0]["decisionsDone"], 1);
}
