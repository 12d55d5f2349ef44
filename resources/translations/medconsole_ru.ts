<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Appointment</name>
    <message>
        <location filename="../../console/views/booking.py" line="134"/>
        <source>being booked</source>
        <translation>оформляется</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="135"/>
        <source>released</source>
        <translation>освобождён</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="136"/>
        <source>booked</source>
        <translation>записан</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="137"/>
        <source>cancelled</source>
        <translation>отменён</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="138"/>
        <source>cancelled late</source>
        <translation>отменён поздно</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="139"/>
        <source>waiting now</source>
        <translation>ожидает сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="140"/>
        <source>with the doctor</source>
        <translation>у врача</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="141"/>
        <source>given</source>
        <translation>проведена</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="142"/>
        <source>not reached</source>
        <translation>не дозвонились</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="143"/>
        <source>closed as given</source>
        <translation>закрыта как оказанная</translation>
    </message>
</context>
<context>
    <name>AppointmentsModel</name>
    <message>
        <location filename="../../console/views/booking.py" line="278"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="279"/>
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="280"/>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="333"/>
        <source>documents needed</source>
        <translation>нужны документы</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="335"/>
        <source>conclusion</source>
        <translation>заключение</translation>
    </message>
</context>
<context>
    <name>AppointmentsPanel</name>
    <message>
        <location filename="../../console/views/booking.py" line="961"/>
        <source>Appointments</source>
        <translation>Записи к врачам</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="969"/>
        <source>The insured&apos;s appointments</source>
        <translation>Записи застрахованного к врачам</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="985"/>
        <source>Book an appointment</source>
        <translation>Записать к врачу</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="987"/>
        <source>Book an appointment with a doctor</source>
        <translation>Записать застрахованного на приём к врачу</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="992"/>
        <source>Cancel…</source>
        <translation>Отменить…</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="994"/>
        <source>Cancel the selected appointment</source>
        <translation>Отменить выбранную запись</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="998"/>
        <source>Documents are in</source>
        <translation>Документы получены</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1000"/>
        <source>The documents are in the medical card</source>
        <translation>Документы есть в медицинской карте</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1004"/>
        <source>To the booked doctor</source>
        <translation>К записанному врачу</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1006"/>
        <source>Transfer to the booked doctor</source>
        <translation>Перевести к врачу, к которому записан</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1045"/>
        <source>No contact.</source>
        <translation>Нет обращения.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1047"/>
        <source>Only a medconsultant books.</source>
        <translation>Записывает только медконсультант.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1049"/>
        <source>Identify the person first.</source>
        <translation>Сначала идентифицируйте пациента.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1051"/>
        <source>The policy is not valid today: services cannot be given.</source>
        <translation>Полис сегодня не действует: услуги не могут быть оказаны.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1055"/>
        <source>Both consents must be confirmed first.</source>
        <translation>Сначала пациент должен подтвердить оба согласия.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1057"/>
        <source>The contact is not in conversation.</source>
        <translation>С пациентом нет активного соединения.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1063"/>
        <source>Loading the appointments…</source>
        <translation>Загрузка записей…</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1074"/>
        <source>Coming: {n}, earlier: {m}</source>
        <translation>Предстоящих: {n}, прошедших: {m}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1080"/>
        <source>consultations left: {n}</source>
        <translation>осталось консультаций: {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1086"/>
        <source>referrals: {n}</source>
        <translation>направлений: {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1133"/>
        <source>The consultation needs documents: they must be in the medical card first.</source>
        <translation>Консультации нужны документы: сначала они должны появиться в медицинской карте.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1138"/>
        <source>Transfer to {doctor}</source>
        <translation>Перевести к врачу: {doctor}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1169"/>
        <source>Cancel the appointment</source>
        <translation>Отмена записи</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="1171"/>
        <source>Cancel the appointment of {day} {time} with {doctor}? Before the start the slot becomes free; later it counts against the program&apos;s quota.</source>
        <translation>Отменить запись {day} {time} к врачу {doctor}? До начала приёма время освободится; позже отмена засчитывается в лимит консультаций по программе.</translation>
    </message>
</context>
<context>
    <name>BookingDialog</name>
    <message>
        <location filename="../../console/views/booking.py" line="124"/>
        <source>Video call on the platform</source>
        <translation>Видеозвонок на платформе</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="125"/>
        <source>Audio call on the platform</source>
        <translation>Аудиозвонок на платформе</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="126"/>
        <source>Chat on the platform</source>
        <translation>Чат на платформе</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="127"/>
        <source>Call to the insured&apos;s mobile phone</source>
        <translation>Звонок на мобильный застрахованного</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="130"/>
        <source>Call to the representative&apos;s mobile phone</source>
        <translation>Звонок на мобильный представителя</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="376"/>
        <source>Book an appointment — {name}</source>
        <translation>Запись на приём — {name}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="384"/>
        <location filename="../../console/views/booking.py" line="393"/>
        <source>Specialty</source>
        <translation>Специальность</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="387"/>
        <location filename="../../console/views/booking.py" line="396"/>
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="388"/>
        <location filename="../../console/views/booking.py" line="658"/>
        <source>Any specialty</source>
        <translation>Любая специальность</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="389"/>
        <location filename="../../console/views/booking.py" line="671"/>
        <source>Any doctor</source>
        <translation>Любой врач</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="401"/>
        <source>Free slots</source>
        <translation>Свободное время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="411"/>
        <location filename="../../console/views/booking.py" line="636"/>
        <source>Next free slots</source>
        <translation>Ближайшее свободное время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="413"/>
        <source>Show the next free slots</source>
        <translation>Показать ближайшее свободное время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="418"/>
        <source>Calendar of free days</source>
        <translation>Календарь свободных дней</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="426"/>
        <source>Days with free slots are in bold green.</source>
        <translation>Дни со свободным временем выделены зелёным.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="447"/>
        <source>Hold this slot</source>
        <translation>Занять это время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="449"/>
        <source>Hold the chosen slot for 10 minutes</source>
        <translation>Удержать выбранное время на 10 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="455"/>
        <source>Booking</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="457"/>
        <location filename="../../console/views/booking.py" line="746"/>
        <source>Choose a slot and hold it.</source>
        <translation>Выберите время и займите его.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="462"/>
        <source>Time left on the hold</source>
        <translation>Сколько осталось удерживать время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="466"/>
        <source>How the insured will be reached</source>
        <translation>Как связаться с застрахованным</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="472"/>
        <source>Phone to call</source>
        <translation>Телефон для звонка</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="476"/>
        <source>Documents must be in the medical card first</source>
        <translation>Сначала нужны документы в медицинской карте</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="479"/>
        <source>Documents needed first</source>
        <translation>Нужны документы до консультации</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="482"/>
        <location filename="../../console/views/booking.py" line="506"/>
        <source>Referral</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="490"/>
        <source>Confirm the booking</source>
        <translation>Подтвердить запись</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="492"/>
        <source>Confirm the booking of the held slot</source>
        <translation>Подтвердить запись на удерживаемое время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="497"/>
        <source>Let the slot go</source>
        <translation>Освободить время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="499"/>
        <source>Release the held slot</source>
        <translation>Освободить удерживаемое время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="503"/>
        <source>How to reach</source>
        <translation>Способ связи</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="504"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="522"/>
        <source>Booking status</source>
        <translation>Состояние записи</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="525"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="527"/>
        <source>Close the booking dialog</source>
        <translation>Закрыть окно записи</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="606"/>
        <source>Loading free slots…</source>
        <translation>Загрузка свободного времени…</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="638"/>
        <source>Free slots on {day}</source>
        <translation>Свободное время на {day}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="642"/>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="702"/>
        <source>{n} free slots</source>
        <translation>Свободно: {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="722"/>
        <source>Holding the slot…</source>
        <translation>Занимаем время…</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="759"/>
        <source>&lt;b&gt;{day}, {time}&lt;/b&gt; · {doctor} ({specialty})</source>
        <translation>&lt;b&gt;{day}, {time}&lt;/b&gt; · {doctor} ({specialty})</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="768"/>
        <source>No referral</source>
        <translation>Без направления</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="775"/>
        <source>issued {day}</source>
        <translation>выдано {day}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="781"/>
        <source>valid until {day}</source>
        <translation>действует до {day}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="792"/>
        <source>The insured&apos;s program books this specialty only on a referral, and they have none for it: a therapist&apos;s referral is needed first.</source>
        <translation>По программе застрахованного к этому специалисту записывают только по направлению, а подходящего направления нет: сначала нужно направление терапевта.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="801"/>
        <source>The program books this specialty only on a referral.</source>
        <translation>По программе к этому специалисту записывают только по направлению.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="807"/>
        <source>The program has no quota.</source>
        <translation>Лимита консультаций по программе нет.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="810"/>
        <source>Consultations left under the program: {n}</source>
        <translation>Осталось консультаций по программе: {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="818"/>
        <source>The slot is held for you: agree the details and confirm.</source>
        <translation>Время удерживается за вами: согласуйте детали и подтвердите запись.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="841"/>
        <source>8 (9xx) xxx-xx-xx</source>
        <translation>8 (9хх) ххх-хх-хх</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="851"/>
        <source>The hold has run out</source>
        <translation>Время удержания истекло</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="856"/>
        <source>Held for {t}</source>
        <translation>Время удерживается ещё {t}</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="865"/>
        <source>Hold a slot first.</source>
        <translation>Сначала займите время.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="867"/>
        <source>Choose the referral.</source>
        <translation>Выберите направление.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="870"/>
        <source>Give the phone to call.</source>
        <translation>Укажите телефон для звонка.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="872"/>
        <source>The program&apos;s consultations are used up.</source>
        <translation>Консультации по программе исчерпаны.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="890"/>
        <source>Booking…</source>
        <translation>Записываем…</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="916"/>
        <source>Booked: {day}, {time}, {doctor}. The SMS has been sent.</source>
        <translation>Записан: {day}, {time}, {doctor}. СМС отправлено.</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="936"/>
        <source>The slot is free again.</source>
        <translation>Время снова свободно.</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <location filename="../../console/views/callpanel.py" line="34"/>
        <source>Patient&apos;s video</source>
        <translation>Видео пациента</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="35"/>
        <source>No call</source>
        <translation>Нет звонка</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="39"/>
        <source>Your camera</source>
        <translation>Ваша камера</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="40"/>
        <source>Camera off</source>
        <translation>Камера выключена</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="45"/>
        <source>Call duration</source>
        <translation>Длительность разговора</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="51"/>
        <source>Mute</source>
        <translation>Выключить звук</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="53"/>
        <source>Mute the microphone</source>
        <translation>Выключить микрофон</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="58"/>
        <source>Hold</source>
        <translation>Удержание</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="60"/>
        <source>Put the patient on hold</source>
        <translation>Поставить пациента на удержание</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="65"/>
        <source>End</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="65"/>
        <source>End the contact</source>
        <translation>Завершить обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="70"/>
        <source>Video call</source>
        <translation>Видеозвонок</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="72"/>
        <source>Invite the patient to a video call</source>
        <translation>Пригласить пациента в видеозвонок</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="150"/>
        <source>Connecting…</source>
        <translation>Соединение…</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="158"/>
        <location filename="../../console/views/callpanel.py" line="195"/>
        <location filename="../../console/views/callpanel.py" line="204"/>
        <source>In call</source>
        <translation>Идёт разговор</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="171"/>
        <source>The patient declined the video call.</source>
        <translation>Пациент отклонил видеозвонок.</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="195"/>
        <source>Microphone off</source>
        <translation>Микрофон выключен</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="202"/>
        <source>On hold: the patient is told</source>
        <translation>На удержании: пациент уведомлён</translation>
    </message>
    <message>
        <location filename="../../console/views/callpanel.py" line="216"/>
        <source>Waiting for the patient to accept the video call…</source>
        <translation>Ждём, когда пациент примет видеозвонок…</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <location filename="../../console/views/models.py" line="73"/>
        <source>Audio</source>
        <extracomment>the role a model puts its row&apos;s object (QueueEntry, PersonCard, ChatMessage) under seconds waited, as a number, for sorting and tests the roles QueueModel.data answers</extracomment>
        <translation>Аудиосвязь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="74"/>
        <source>Video</source>
        <translation>Видеосвязь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="75"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="76"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
</context>
<context>
    <name>ChatModel</name>
    <message>
        <location filename="../../console/views/models.py" line="504"/>
        <source>Double-click to open</source>
        <translation>Дважды щёлкните, чтобы открыть</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="511"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="513"/>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="515"/>
        <source>Staff</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="519"/>
        <source>File: {name} ({size} KB)</source>
        <translation>Файл: {name} ({size} КБ)</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../console/views/chat.py" line="94"/>
        <source>Chat history</source>
        <translation>История чата</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="104"/>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="106"/>
        <source>Message to the patient (Enter sends)</source>
        <translation>Сообщение пациенту (Enter — отправить)</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="109"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="111"/>
        <source>Send the message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="113"/>
        <source>File…</source>
        <translation>Файл…</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="115"/>
        <location filename="../../console/views/chat.py" line="162"/>
        <source>Send a file</source>
        <translation>Отправить файл</translation>
    </message>
    <message>
        <location filename="../../console/views/chat.py" line="164"/>
        <source>Images and documents (*.png *.jpg *.jpeg *.pdf)</source>
        <translation>Изображения и документы (*.png *.jpg *.jpeg *.pdf)</translation>
    </message>
</context>
<context>
    <name>ConclusionForm</name>
    <message>
        <location filename="../../console/views/doctor.py" line="544"/>
        <source>Conclusion</source>
        <translation>Заключение</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="552"/>
        <source>Telemedicine&apos;s limits: a doctor who has not seen the patient in person for this illness makes no diagnosis, and so prescribes no prescription drugs, opens no sick leave and issues no certificates (Federal Law 323-FZ, art. 36.2). The conclusion records the complaints, the history and the recommendations, and whether an in-person visit is needed.</source>
        <translation>Ограничения телемедицины: врач, не осмотревший пациента очно по поводу этого заболевания, не ставит диагноз, а значит, не назначает рецептурные препараты, не открывает листок нетрудоспособности и не выдаёт справки (Федеральный закон № 323-ФЗ, ст. 36.2). В заключении — жалобы, анамнез, рекомендации и нужен ли очный приём.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="569"/>
        <location filename="../../console/views/doctor.py" line="633"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="570"/>
        <source>What the patient complains of</source>
        <translation>На что жалуется пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="575"/>
        <location filename="../../console/views/doctor.py" line="634"/>
        <source>History</source>
        <translation>Анамнез</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="576"/>
        <source>How the illness began and went on; what was taken</source>
        <translation>Как началось и протекало заболевание; что принимал</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="581"/>
        <location filename="../../console/views/doctor.py" line="635"/>
        <source>Recommendations</source>
        <translation>Рекомендации</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="582"/>
        <source>Regimen, what to watch for, when to see a doctor</source>
        <translation>Режим, на что обратить внимание, когда обратиться к врачу</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="585"/>
        <source>An in-person visit is needed</source>
        <translation>Нужен очный приём</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="587"/>
        <source>In-person visit needed</source>
        <translation>Нужен очный приём врача</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="589"/>
        <location filename="../../console/views/doctor.py" line="593"/>
        <source>No conclusion: not enough information</source>
        <translation>Заключение не дано: недостаточно информации</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="604"/>
        <source>Save and sign</source>
        <translation>Сохранить и подписать</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="606"/>
        <source>Save and sign the conclusion</source>
        <translation>Сохранить и подписать заключение</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="608"/>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="612"/>
        <source>End consultation</source>
        <translation>Завершить консультацию</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="614"/>
        <source>End the consultation and hand the patient back</source>
        <translation>Завершить консультацию и вернуть пациента медконсультанту</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="622"/>
        <source>Preview…</source>
        <translation>Просмотр…</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="624"/>
        <source>Show the signed conclusion as the patient gets it</source>
        <translation>Показать подписанное заключение так, как его получит пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="689"/>
        <source>A field is longer than {n} characters.</source>
        <translation>В поле больше {n} символов.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="693"/>
        <source>Write the complaints and the recommendations, or tick “No conclusion: not enough information”.</source>
        <translation>Заполните жалобы и рекомендации или отметьте «Заключение не дано: недостаточно информации».</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="747"/>
        <source>Signing…</source>
        <translation>Подписание…</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="749"/>
        <source>Not signed yet.</source>
        <translation>Ещё не подписано.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="752"/>
        <source>Signed by {doctor}, {time} (version {n}).</source>
        <translation>Подписано: {doctor}, {time} (версия {n}).</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="756"/>
        <source>Changed since: save to sign a new version.</source>
        <translation>Изменено после подписания: сохраните, чтобы подписать новую версию.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="761"/>
        <source>The consultation is over.</source>
        <translation>Консультация окончена.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="763"/>
        <source>Sign the conclusion (or that there is none) before ending.</source>
        <translation>Перед завершением подпишите заключение (или что его нет).</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="767"/>
        <source>Save the changes first: they are not signed yet.</source>
        <translation>Сначала сохраните изменения: они ещё не подписаны.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="769"/>
        <source>The patient goes back to the medconsultant.</source>
        <translation>Пациент вернётся к медконсультанту.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="805"/>
        <source>Conclusion, version {n}</source>
        <translation>Заключение, версия {n}</translation>
    </message>
</context>
<context>
    <name>Consent</name>
    <message>
        <location filename="../../console/views/workspace.py" line="72"/>
        <source>Personal data processing</source>
        <translation>Согласие на обработку персональных данных</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="73"/>
        <source>Informed consent to remote consultation</source>
        <translation>Информированное добровольное согласие на дистанционную консультацию</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="80"/>
        <source>not sent</source>
        <translation>не отправлено</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="81"/>
        <source>sent, waiting for the patient</source>
        <translation>отправлено, ждём подтверждения пациента</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="82"/>
        <source>confirmed</source>
        <translation>подтверждено</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="83"/>
        <source>revoked</source>
        <translation>отозвано</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <location filename="../../console/views/workspace.py" line="341"/>
        <source>Consent</source>
        <translation>Согласия</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="346"/>
        <source>Consent state</source>
        <translation>Состояние согласий</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="350"/>
        <location filename="../../console/views/workspace.py" line="389"/>
        <source>Send consents</source>
        <translation>Отправить согласия</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="352"/>
        <source>Send the consents to the patient</source>
        <translation>Отправить согласия пациенту</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="379"/>
        <source>Identify the person first.</source>
        <translation>Сначала идентифицируйте пациента.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="382"/>
        <source>Both consents are confirmed.</source>
        <translation>Оба согласия подтверждены.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="387"/>
        <source>Resend consents</source>
        <translation>Отправить согласия повторно</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="392"/>
        <source>The patient confirms them on their page.</source>
        <translation>Пациент подтверждает их в личном кабинете.</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../console/views/app.py" line="175"/>
        <source>Camera and microphone</source>
        <translation>Камера и микрофон</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <location filename="../../console/views/controller.py" line="88"/>
        <source>The file is too large.</source>
        <translation>Файл слишком большой.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="89"/>
        <source>This type of file cannot be sent.</source>
        <translation>Файлы этого типа отправлять нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="93"/>
        <source>The hub cannot be reached.</source>
        <translation>Сервер недоступен.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="95"/>
        <source>The command did not reach the hub; try again.</source>
        <translation>Команда не дошла до сервера; повторите попытку.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="97"/>
        <source>The call could not be set up.</source>
        <translation>Не удалось установить соединение для звонка.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="99"/>
        <source>The file could not be read.</source>
        <translation>Не удалось прочитать файл.</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="100"/>
        <source>Something went wrong; the details are in the log.</source>
        <translation>Произошла ошибка; подробности в журнале.</translation>
    </message>
</context>
<context>
    <name>ConsultationClock</name>
    <message>
        <location filename="../../console/views/doctor.py" line="178"/>
        <source>Consultation time</source>
        <extracomment>the doctor&apos;s day of appointments is asked for again this often (ms) the ways to reach that are a call to a phone (console.booking.PHONE_WAYS)</extracomment>
        <translation>Время консультации</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="187"/>
        <source>Time used of the limit</source>
        <translation>Использованное время из лимита</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="208"/>
        <source>No consultation</source>
        <translation>Нет консультации</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="219"/>
        <source>{kind}: limit {minutes} min</source>
        <translation>{kind}: лимит {minutes} мин</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="241"/>
        <source>Consultation {elapsed} of {limit}</source>
        <translation>Консультация {elapsed} из {limit}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="246"/>
        <source>the time is up</source>
        <translation>время истекло</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="249"/>
        <source>{left} left</source>
        <translation>осталось {left}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="258"/>
        <source>The consultation has reached its limit of {minutes} minutes: conclude it.</source>
        <translation>Консультация достигла предела в {minutes} мин: завершайте её.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="263"/>
        <source>{minutes} minutes of the consultation are left: time to conclude.</source>
        <translation>До конца консультации {minutes} мин: пора подводить итог.</translation>
    </message>
</context>
<context>
    <name>DeviceCheckDialog</name>
    <message>
        <location filename="../../console/views/devicecheck.py" line="50"/>
        <source>Check camera and microphone</source>
        <extracomment>ticks without a new audio frame after which the meter drops to zero</extracomment>
        <translation>Проверка камеры и микрофона</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="55"/>
        <source>Your camera&apos;s picture</source>
        <translation>Изображение с вашей камеры</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="56"/>
        <source>Starting the camera…</source>
        <translation>Запуск камеры…</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="60"/>
        <source>Microphone level</source>
        <translation>Уровень сигнала микрофона</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="64"/>
        <source>Say something: the bar should move while you speak.</source>
        <translation>Скажите что-нибудь: пока вы говорите, индикатор должен двигаться.</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="73"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="157"/>
        <source>No camera</source>
        <translation>Нет камеры</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="216"/>
        <source>Camera: not open</source>
        <translation>Камера: не подключена</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="217"/>
        <source>Microphone: not open</source>
        <translation>Микрофон: не подключён</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="221"/>
        <source>Camera: {source}</source>
        <translation>Камера: {source}</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="225"/>
        <source>Camera: test picture (the settings ask for test media)</source>
        <translation>Камера: тестовое изображение (в настройках выбраны тестовые устройства)</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="229"/>
        <source>Camera: none found. The patient sees a test picture.</source>
        <translation>Камера: не найдена. Пациент видит тестовое изображение.</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="233"/>
        <source>Microphone: {source}</source>
        <translation>Микрофон: {source}</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="237"/>
        <source>Microphone: test tone (the settings ask for test media)</source>
        <translation>Микрофон: тестовый сигнал (в настройках выбраны тестовые устройства)</translation>
    </message>
    <message>
        <location filename="../../console/views/devicecheck.py" line="241"/>
        <source>Microphone: none found. The patient hears a test tone.</source>
        <translation>Микрофон: не найден. Пациент слышит тестовый сигнал.</translation>
    </message>
</context>
<context>
    <name>DoctorDay</name>
    <message>
        <location filename="../../console/views/doctor.py" line="875"/>
        <source>conclusion signed</source>
        <translation>заключение подписано</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="885"/>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="894"/>
        <source>Today&apos;s appointments</source>
        <translation>Записи на сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="899"/>
        <source>No appointments today.</source>
        <translation>Сегодня записей нет.</translation>
    </message>
</context>
<context>
    <name>DoctorWorkspace</name>
    <message>
        <location filename="../../console/views/doctor.py" line="1083"/>
        <source>medconsole — doctor</source>
        <translation>medconsole — врач</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="1104"/>
        <source>Save and sign the conclusion</source>
        <translation>Сохранить и подписать заключение</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="1113"/>
        <source>The patient went back to the medconsultant for follow-up.</source>
        <translation>Пациент возвращён медконсультанту для дальнейшего обслуживания.</translation>
    </message>
</context>
<context>
    <name>FailedCallRow</name>
    <message>
        <location filename="../../console/views/doctor.py" line="949"/>
        <source>Call failed</source>
        <translation>Не дозвонился</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="951"/>
        <source>The phone call failed: count one more attempt</source>
        <translation>Звонок не удался: засчитать ещё одну попытку</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="1003"/>
        <source>No answer after {n} attempts: the consultation is closed as given.</source>
        <translation>Нет ответа после {n} попыток: консультация закрыта как оказанная.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="1007"/>
        <source>Failed call: attempt {n} of {limit}.</source>
        <translation>Неудачный звонок: попытка {n} из {limit}.</translation>
    </message>
</context>
<context>
    <name>HubError</name>
    <message>
        <location filename="../../console/views/controller.py" line="61"/>
        <source>a name needs the birth date</source>
        <extracomment>contact states in which the holder has no call with the patient any more</extracomment>
        <translation>Для поиска по ФИО нужна дата рождения</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="62"/>
        <source>an empty message</source>
        <translation>Пустое сообщение</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="63"/>
        <source>no phone to look up</source>
        <translation>Нет номера телефона для поиска</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="64"/>
        <source>identify the insured before sending a consent</source>
        <translation>Сначала идентифицируйте застрахованного, затем отправляйте согласие</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="65"/>
        <source>identify the insured before the transfer</source>
        <translation>Сначала идентифицируйте застрахованного, затем переводите</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="66"/>
        <source>no call was raised</source>
        <translation>Звонок не запрашивался</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="67"/>
        <source>no consent was asked for</source>
        <translation>Согласие не запрашивалось</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="68"/>
        <source>not wrapping up this contact</source>
        <translation>Постобработка этого обращения не идёт</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="69"/>
        <source>only a connected contact can be put on hold</source>
        <translation>На удержание можно поставить только соединённое обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="70"/>
        <source>the contact has no caller phone to register</source>
        <translation>У обращения нет номера звонящего для регистрации</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="71"/>
        <source>the policy is not valid today: services cannot be given</source>
        <translation>Полис сегодня недействителен: услуги оказать нельзя</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="72"/>
        <source>only a medconsultant transfers</source>
        <translation>Переводит только медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="73"/>
        <source>you do not hold this contact</source>
        <translation>Это обращение не у вас</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="74"/>
        <source>no such insured person</source>
        <translation>Такого застрахованного нет</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="75"/>
        <source>no such upload of yours</source>
        <translation>Такого загруженного вами файла нет</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="76"/>
        <source>account disabled</source>
        <translation>Учётная запись отключена</translation>
    </message>
    <message>
        <location filename="../../console/views/controller.py" line="77"/>
        <source>session unknown or expired: log in again</source>
        <translation>Сеанс неизвестен или истёк: войдите снова</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="83"/>
        <source>there is no such slot in the doctor&apos;s schedule</source>
        <extracomment>the role a row&apos;s object (SlotView, AppointmentView) is under</extracomment>
        <translation>такого времени нет в расписании врача</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="84"/>
        <source>this slot has already begun: choose a later one</source>
        <translation>это время уже наступило: выберите более позднее</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="85"/>
        <source>this slot has just been taken: choose another one</source>
        <translation>это время только что занял другой медконсультант: выберите другое</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="86"/>
        <source>the slot was held for 10 minutes and has been released: choose a slot again</source>
        <translation>время удерживалось 10 минут и освобождено: выберите время заново</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="90"/>
        <source>another medconsultant is booking this slot</source>
        <translation>на это время сейчас записывает другой медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="91"/>
        <source>the appointment is not in a state that allows this</source>
        <translation>в текущем состоянии записи это невозможно</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="92"/>
        <source>the consultation has started or is over: it can no longer be cancelled</source>
        <translation>консультация уже началась или прошла: отменить её нельзя</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="95"/>
        <source>the appointment&apos;s time has not come yet</source>
        <translation>время записи ещё не наступило</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="96"/>
        <source>a call needs the phone number of the insured or of the representative</source>
        <translation>для звонка нужен номер телефона застрахованного или представителя</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="99"/>
        <source>this consultation can be booked only on a referral</source>
        <translation>на эту консультацию записывают только по направлению</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="100"/>
        <source>the referral is for another specialty, doctor or person</source>
        <translation>направление выдано к другому специалисту, врачу или на другого человека</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="101"/>
        <source>the referral is not valid on the day of the consultation</source>
        <translation>в день консультации направление недействительно</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="102"/>
        <source>the referral has already been used</source>
        <translation>направление уже использовано</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="103"/>
        <source>the program&apos;s consultations are used up</source>
        <translation>консультации по программе исчерпаны</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="104"/>
        <source>the consultation starts only after the documents are in the medical card</source>
        <translation>консультация начнётся только после того, как документы появятся в медицинской карте</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="107"/>
        <source>the appointment was changed meanwhile: look at it again</source>
        <translation>запись тем временем изменилась: посмотрите её ещё раз</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="108"/>
        <source>only a medconsultant books appointments</source>
        <translation>записывает к врачам только медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="109"/>
        <source>no doctor with working hours</source>
        <translation>нет такого врача с расписанием</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="110"/>
        <source>no such appointment</source>
        <translation>такой записи нет</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="111"/>
        <source>no such referral</source>
        <translation>такого направления нет</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="88"/>
        <source>only the doctor writes the conclusion</source>
        <extracomment>the clock warns this long before the consultation&apos;s limit (and again at it) characters in one field of the conclusion (the protocol&apos;s MAX_CONCLUSION_TEXT)</extracomment>
        <translation>заключение пишет только врач</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="89"/>
        <source>the consultation has not started</source>
        <translation>консультация ещё не началась</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="90"/>
        <source>write the complaints and the recommendations, or sign that there is no conclusion</source>
        <translation>заполните жалобы и рекомендации или подпишите, что заключения нет</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="94"/>
        <source>only the doctor records a failed call</source>
        <translation>неудачный звонок отмечает только врач</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="95"/>
        <source>this contact is not an appointment&apos;s</source>
        <translation>это обращение не по записи</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="96"/>
        <source>only a doctor has a day of appointments</source>
        <translation>записи на день есть только у врача</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../../console/views/workspace.py" line="92"/>
        <source>Identification</source>
        <translation>Идентификация</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="99"/>
        <location filename="../../console/views/workspace.py" line="244"/>
        <source>Nobody identified yet.</source>
        <translation>Пациент ещё не идентифицирован.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="110"/>
        <source>People found</source>
        <translation>Найденные застрахованные</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="123"/>
        <source>This is the person</source>
        <translation>Подтвердить личность</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="125"/>
        <source>Choose the selected person</source>
        <translation>Выбрать отмеченного застрахованного</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="133"/>
        <location filename="../../console/views/workspace.py" line="134"/>
        <source>Policy number</source>
        <translation>Номер полиса</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="137"/>
        <location filename="../../console/views/workspace.py" line="154"/>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="139"/>
        <source>Find by policy</source>
        <translation>Найти по полису</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="145"/>
        <source>Full name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="146"/>
        <source>Surname Name Patronymic</source>
        <translation>Фамилия Имя Отчество</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="149"/>
        <source>Birth date</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="156"/>
        <source>Find by name and birth date</source>
        <translation>Найти по ФИО и дате рождения</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="168"/>
        <source>The caller&apos;s phone is not registered for this person. Ask for the policy number, the full name and the birth date; when they match, register the phone.</source>
        <translation>Номер звонящего не зарегистрирован за этим застрахованным. Проведите дополнительную идентификацию: запросите номер полиса, ФИО и дату рождения; если данные совпадают, зарегистрируйте номер.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="176"/>
        <source>Register this phone</source>
        <translation>Зарегистрировать номер</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="178"/>
        <source>Register the caller&apos;s phone for the person</source>
        <translation>Зарегистрировать номер звонящего за застрахованным</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="226"/>
        <source>No contact.</source>
        <translation>Нет обращения.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="229"/>
        <source>not known</source>
        <translation>не определён</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="231"/>
        <source>Caller&apos;s phone: {phone}</source>
        <translation>Номер звонящего: {phone}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="239"/>
        <source>Looking the phone up…</source>
        <translation>Поиск по номеру телефона…</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="256"/>
        <source>born {born}, {age} years · route: {route}</source>
        <translation>дата рождения {born}, возраст {age} · врач: {route}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="259"/>
        <source>policy {number}</source>
        <translation>полис {number}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="266"/>
        <source>Under one year old: the duty pediatrician advises only.</source>
        <translation>Младше одного года: дежурный педиатр даёт только рекомендации.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="279"/>
        <location filename="../../console/views/workspace.py" line="288"/>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="297"/>
        <source>Not found in the registry.</source>
        <translation>В реестре не найдено.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="300"/>
        <source>Found: {n}</source>
        <translation>Найдено: {n}</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <location filename="../../console/views/models.py" line="83"/>
        <source>Urgent</source>
        <translation>Срочное</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="84"/>
        <source>Appointment</source>
        <translation>По записи</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="85"/>
        <source>Follow-up</source>
        <translation>После консультации</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="86"/>
        <source>Callback</source>
        <translation>Обратный звонок</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../console/views/login.py" line="31"/>
        <source>Wrong login or password.</source>
        <translation>Неверный логин или пароль.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="33"/>
        <source>The hub cannot be reached. Check its address and the network.</source>
        <translation>Сервер недоступен. Проверьте его адрес и подключение к сети.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="37"/>
        <source>The hub&apos;s address must start with http:// or https://.</source>
        <translation>Адрес сервера должен начинаться с http:// или https://.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="39"/>
        <source>The hub refused the sign-in.</source>
        <translation>Сервер отклонил вход.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="40"/>
        <source>Signing in failed; the details are in the log.</source>
        <translation>Не удалось войти; подробности в журнале.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="60"/>
        <source>medconsole — sign in</source>
        <translation>medconsole — вход</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="69"/>
        <source>Hub address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="72"/>
        <location filename="../../console/views/login.py" line="96"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="75"/>
        <location filename="../../console/views/login.py" line="97"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="85"/>
        <location filename="../../console/views/login.py" line="87"/>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="89"/>
        <location filename="../../console/views/login.py" line="90"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="95"/>
        <source>Hub</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="118"/>
        <source>Fill in the hub, the login and the password.</source>
        <translation>Укажите сервер, логин и пароль.</translation>
    </message>
    <message>
        <location filename="../../console/views/login.py" line="123"/>
        <source>Signing in…</source>
        <translation>Вход…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/views/mainwindow.py" line="55"/>
        <location filename="../../console/views/mainwindow.py" line="304"/>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="56"/>
        <location filename="../../console/views/mainwindow.py" line="295"/>
        <source>Available</source>
        <translation>На линии</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="57"/>
        <source>Ringing</source>
        <translation>Входящий вызов</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="58"/>
        <source>In contact</source>
        <translation>Работа с обращением</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="59"/>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="60"/>
        <location filename="../../console/views/mainwindow.py" line="333"/>
        <source>Break</source>
        <translation>Перерыв</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="61"/>
        <source>Not responding</source>
        <translation>Не отвечает</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="69"/>
        <source>Hub: connected</source>
        <extracomment>the queue table repaints at most this often (the hub sends at most 4 views a second)</extracomment>
        <translation>Сервер: подключено</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="70"/>
        <source>Hub: connecting…</source>
        <translation>Сервер: подключение…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="72"/>
        <source>Hub: connection lost, reconnecting…</source>
        <translation>Сервер: связь потеряна, переподключение…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="75"/>
        <source>Hub: signed out</source>
        <translation>Сервер: сеанс завершён</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="76"/>
        <source>Hub: disconnected</source>
        <translation>Сервер: отключено</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="103"/>
        <source>medconsole — medconsultant</source>
        <translation>medconsole — медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="109"/>
        <location filename="../../console/views/mainwindow.py" line="126"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="170"/>
        <location filename="../../console/views/mainwindow.py" line="424"/>
        <source>No contact. Set yourself available to receive contacts (Ctrl+1).</source>
        <translation>Нет обращения. Чтобы получать обращения, перейдите в статус «На линии» (Ctrl+1).</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="189"/>
        <source>Your state</source>
        <translation>Ваш статус</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="193"/>
        <source>Connection to the hub</source>
        <translation>Подключение к серверу</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="234"/>
        <source>&amp;Contact</source>
        <translation>&amp;Обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="236"/>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="239"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="243"/>
        <source>Mute / unmute</source>
        <translation>Выключить / включить звук</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="246"/>
        <source>Hold / resume</source>
        <translation>Поставить на удержание / снять с удержания</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="249"/>
        <source>End contact</source>
        <translation>Завершить обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="253"/>
        <source>Find by policy</source>
        <translation>Найти по полису</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="257"/>
        <source>Send consents</source>
        <translation>Отправить согласия</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="263"/>
        <source>Transfer to the duty doctor</source>
        <translation>Перевести на дежурного врача</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="269"/>
        <source>Book an appointment…</source>
        <translation>Записать к врачу…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="275"/>
        <source>Write to the chat</source>
        <translation>Написать в чат</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="281"/>
        <source>Send a file…</source>
        <translation>Отправить файл…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="287"/>
        <source>Finish wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="292"/>
        <source>&amp;State</source>
        <translation>&amp;Статус</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="300"/>
        <source>Break…</source>
        <translation>Перерыв…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="310"/>
        <source>&amp;Tools</source>
        <translation>С&amp;ервис</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="313"/>
        <source>Check camera and microphone…</source>
        <translation>Проверка камеры и микрофона…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="317"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="326"/>
        <source>Lunch</source>
        <translation>Обед</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="327"/>
        <source>Rest</source>
        <translation>Отдых</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="328"/>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="329"/>
        <source>Technical problem</source>
        <translation>Техническая проблема</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="334"/>
        <source>Reason for the break:</source>
        <translation>Причина перерыва:</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="378"/>
        <source>The contact went to the doctor.</source>
        <translation>Обращение передано врачу.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="379"/>
        <source>The patient left.</source>
        <translation>Пациент отключился.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="380"/>
        <source>The contact was returned to the queue.</source>
        <translation>Обращение возвращено в очередь.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="383"/>
        <source>A supervisor moved the contact.</source>
        <translation>Супервайзер перевёл обращение.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="421"/>
        <source>Waiting for contacts…</source>
        <translation>Ожидание обращений…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="433"/>
        <source>Hub: signed in on another console</source>
        <translation>Сервер: выполнен вход на другом рабочем месте</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="463"/>
        <source>{queue}: {waiting} waiting, longest {longest}</source>
        <translation>{queue}: в очереди {waiting}, макс. ожидание {longest}</translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <location filename="../../console/views/models.py" line="371"/>
        <source>No policy on record: services cannot be given.</source>
        <translation>Полиса нет: услуги оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="373"/>
        <source>The policy has expired: services cannot be given.</source>
        <translation>Срок действия полиса истёк: услуги оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="376"/>
        <source>The policy is not valid yet: services cannot be given yet.</source>
        <translation>Полис ещё не вступил в силу: услуги пока оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="380"/>
        <source>Under 1 year: outside the program&apos;s routing rule (1-17 pediatrician, 18+ therapist); routed to the pediatrician.</source>
        <translation>Младше 1 года: вне правила маршрутизации программы (1–17 лет — педиатр, 18+ — терапевт); направляется к педиатру.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="394"/>
        <source>Name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="395"/>
        <source>Born</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="396"/>
        <source>Age</source>
        <translation>Возраст</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="397"/>
        <source>Route</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="398"/>
        <source>Policy</source>
        <translation>Полис</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="399"/>
        <source>Relation</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="433"/>
        <source>Pediatrician (under 1!)</source>
        <translation>Педиатр (младше 1 года!)</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="440"/>
        <source>owner of the phone</source>
        <translation>владелец телефона</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="441"/>
        <source>represented</source>
        <translation>представляемое лицо</translation>
    </message>
</context>
<context>
    <name>MoveContactDialog</name>
    <message>
        <location filename="../../console/views/wallboard.py" line="568"/>
        <source>Move a waiting contact</source>
        <translation>Передать ожидающее обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="570"/>
        <source>The contact you choose is offered to {name} next. The move is recorded in the audit log.</source>
        <translation>Выбранное обращение будет предложено следующим сотруднику {name}. Передача фиксируется в журнале аудита.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="579"/>
        <source>Waiting contact</source>
        <translation>Ожидающее обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="586"/>
        <source>Contact id</source>
        <translation>Номер обращения</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="593"/>
        <source>Move</source>
        <translation>Передать</translation>
    </message>
</context>
<context>
    <name>OfferPanel</name>
    <message>
        <location filename="../../console/views/offer.py" line="74"/>
        <source>Incoming contact</source>
        <translation>Входящее обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="95"/>
        <source>Time left to answer</source>
        <translation>Время на ответ</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="99"/>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="101"/>
        <source>Accept the contact</source>
        <translation>Принять обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="103"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="105"/>
        <source>Reject the contact</source>
        <translation>Отклонить обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="133"/>
        <source>{kind} · {channel}</source>
        <translation>{kind} · {channel}</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="137"/>
        <source>number not known</source>
        <translation>номер не определён</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="139"/>
        <source>Caller: {phone} · queue: {queue}</source>
        <translation>Звонящий: {phone} · очередь: {queue}</translation>
    </message>
    <message>
        <location filename="../../console/views/offer.py" line="171"/>
        <source>%1 s to answer</source>
        <translation>На ответ: %1 с</translation>
    </message>
</context>
<context>
    <name>PatientCard</name>
    <message>
        <location filename="../../console/views/doctor.py" line="314"/>
        <source>Double-click to open</source>
        <translation>Дважды щёлкните, чтобы открыть</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="322"/>
        <source>Conclusion of {date}, {doctor}</source>
        <translation>Заключение от {date}, {doctor}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="325"/>
        <source>{name}, sent {date}</source>
        <translation>{name}, отправлен {date}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="346"/>
        <source>PDF viewing is not available.</source>
        <translation>Просмотр документа недоступен: сохраните его.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="364"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="386"/>
        <source>Reason for the contact</source>
        <translation>Причина обращения</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="399"/>
        <source>Documents of the medical card</source>
        <translation>Документы медицинской карты</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="406"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="408"/>
        <source>Open the selected document</source>
        <translation>Открыть выбранный документ</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="434"/>
        <source>No consultation.</source>
        <translation>Нет консультации.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="436"/>
        <source>The person is not identified.</source>
        <translation>Пациент не идентифицирован.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="449"/>
        <source>born {born}, {age} years</source>
        <translation>дата рождения {born}, возраст {age}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="452"/>
        <source>policy {number}</source>
        <translation>полис {number}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="460"/>
        <source>representative: {who}</source>
        <translation>представитель: {who}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="463"/>
        <source>phone: {phone}</source>
        <translation>телефон: {phone}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="468"/>
        <source>Under one year old: outside the program&apos;s age rule; advise only.</source>
        <translation>Младше года: вне возрастного правила программы; только консультация.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="477"/>
        <source>Reason, from the medconsultant {name}:</source>
        <translation>Причина обращения (медконсультант {name}):</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="479"/>
        <source>Reason:</source>
        <translation>Причина обращения:</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="482"/>
        <source>The medconsultant gave none.</source>
        <translation>Медконсультант не указал причину.</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="486"/>
        <source>Medical card, documents: {n}</source>
        <translation>Медицинская карта, документов: {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/doctor.py" line="515"/>
        <source>Save the document</source>
        <translation>Сохранить документ</translation>
    </message>
</context>
<context>
    <name>Policy</name>
    <message>
        <location filename="../../console/views/models.py" line="115"/>
        <source>valid</source>
        <translation>действует</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="117"/>
        <source>EXPIRED</source>
        <translation>ИСТЁК</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="119"/>
        <source>NOT YET VALID</source>
        <translation>ЕЩЁ НЕ ДЕЙСТВУЕТ</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="120"/>
        <source>NO POLICY</source>
        <translation>НЕТ ПОЛИСА</translation>
    </message>
</context>
<context>
    <name>Queue</name>
    <message>
        <location filename="../../console/views/models.py" line="93"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="94"/>
        <source>Duty therapist</source>
        <translation>Дежурный терапевт</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="95"/>
        <source>Duty pediatrician</source>
        <translation>Дежурный педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="100"/>
        <source>Doctor&apos;s appointments</source>
        <translation>Приём врача по записи</translation>
    </message>
</context>
<context>
    <name>QueueBoardModel</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="261"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="262"/>
        <source>Waiting</source>
        <translation>Ожидают</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="263"/>
        <source>Longest
wait</source>
        <translation>Макс.
ожидание</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="264"/>
        <source>Free
staff</source>
        <translation>Свободно
сотрудников</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="265"/>
        <source>Offered
today</source>
        <translation>Поступило
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="266"/>
        <source>Service level
today</source>
        <translation>Уровень сервиса
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="267"/>
        <source>Service level
15 min</source>
        <translation>Уровень сервиса
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="268"/>
        <source>Abandoned
today</source>
        <translation>Потерянные
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="269"/>
        <source>Abandoned
15 min</source>
        <translation>Потерянные
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="270"/>
        <source>Avg. answer
today</source>
        <translation>Ср. ответ
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="271"/>
        <source>Avg. answer
15 min</source>
        <translation>Ср. ответ
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="272"/>
        <source>Avg. handle
today</source>
        <translation>Ср. обработка
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="273"/>
        <source>Avg. handle
15 min</source>
        <translation>Ср. обработка
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="276"/>
        <source>The queue group</source>
        <translation>Группа очередей</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="277"/>
        <source>Contacts waiting now</source>
        <translation>Обращений ожидает сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="278"/>
        <source>How long the longest-waiting contact has waited</source>
        <translation>Максимальное ожидание: сколько ждёт обращение, ожидающее дольше всех</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="279"/>
        <source>Staff available for this queue now</source>
        <translation>Сотрудников этой очереди на линии сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="280"/>
        <source>Contacts that entered the queue today</source>
        <translation>Обращений, поступивших в очередь сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="281"/>
        <source>Service level: answered within the target, of answered and abandoned after it</source>
        <translation>Уровень сервиса: доля принятых в пределах целевого времени среди принятых и потерянных после него</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="285"/>
        <source>Service level of the contacts of the last 15 minutes</source>
        <translation>Уровень сервиса по обращениям последних 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="288"/>
        <source>Abandoned share: abandoned of offered, today</source>
        <translation>Доля потерянных: потерянные от поступивших, сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="289"/>
        <source>Abandoned share over the last 15 minutes</source>
        <translation>Доля потерянных за последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="290"/>
        <source>Average speed of answer, today</source>
        <translation>Средняя скорость ответа, сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="291"/>
        <source>Average speed of answer, last 15 minutes</source>
        <translation>Средняя скорость ответа, последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="292"/>
        <source>Average handle time (talk and wrap-up), today</source>
        <translation>Среднее время обработки (разговор и постобработка), сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="293"/>
        <source>Average handle time, last 15 minutes</source>
        <translation>Среднее время обработки, последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="434"/>
        <source>Longer than {limit}</source>
        <translation>Дольше {limit}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="437"/>
        <source>Below {limit} (the goal is {goal})</source>
        <translation>Ниже {limit} (цель — {goal})</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="441"/>
        <source>Over {limit}</source>
        <translation>Больше {limit}</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../console/views/models.py" line="160"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="161"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="162"/>
        <source>Waiting</source>
        <translation>Ожидание</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="163"/>
        <source>Person</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="164"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="206"/>
        <source>not identified</source>
        <translation>не идентифицирован</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="221"/>
        <source>Being offered to a colleague</source>
        <translation>Предложено коллеге</translation>
    </message>
</context>
<context>
    <name>ReasonPanel</name>
    <message>
        <location filename="../../console/views/workspace.py" line="410"/>
        <source>Reason</source>
        <translation>Причина обращения</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="415"/>
        <source>Reason for the contact</source>
        <translation>Причина обращения</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="417"/>
        <source>What the person is calling about; the doctor will read it.</source>
        <translation>С чем обращается пациент; врач увидит эту запись.</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="775"/>
        <source>Interval</source>
        <translation>Интервал</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="776"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="777"/>
        <source>Offered</source>
        <translation>Поступило</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="778"/>
        <source>Answered</source>
        <translation>Принято</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="779"/>
        <source>Abandoned</source>
        <translation>Потеряно</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="780"/>
        <source>Service level</source>
        <translation>Уровень сервиса</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="781"/>
        <source>Avg. answer</source>
        <translation>Ср. ответ</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="782"/>
        <source>Avg. handle</source>
        <translation>Ср. обработка</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../console/views/wallboard.py" line="639"/>
        <source>Day of the report</source>
        <translation>День отчёта</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="643"/>
        <source>Load</source>
        <translation>Загрузить</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="647"/>
        <source>Queue of the report</source>
        <translation>Очередь в отчёте</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="648"/>
        <location filename="../../console/views/wallboard.py" line="708"/>
        <source>All queues</source>
        <translation>Все очереди</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="650"/>
        <source>Only intervals with contacts</source>
        <translation>Только интервалы с обращениями</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="653"/>
        <source>Export CSV…</source>
        <translation>Выгрузить в файл…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="658"/>
        <source>The day&apos;s report</source>
        <translation>Отчёт за день</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="667"/>
        <source>Choose a day and load its report.</source>
        <translation>Выберите день и загрузите отчёт.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="671"/>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="699"/>
        <source>Loading the report…</source>
        <translation>Загрузка отчёта…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="728"/>
        <source>{day}: offered {offered}, answered {answered}, abandoned {abandoned}, service level {level}, average handle time {aht}</source>
        <translation>{day}: поступило {offered}, принято {answered}, потеряно {abandoned}, уровень сервиса {level}, среднее время обработки {aht}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="745"/>
        <source>The report could not be loaded.</source>
        <translation>Не удалось загрузить отчёт.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="753"/>
        <source>Export the report</source>
        <translation>Выгрузка отчёта</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="755"/>
        <source>CSV files (*.csv)</source>
        <translation>Таблицы с разделителями (*.csv)</translation>
    </message>
</context>
<context>
    <name>Route</name>
    <message>
        <location filename="../../console/views/models.py" line="106"/>
        <source>Pediatrician</source>
        <translation>Педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="107"/>
        <source>Therapist</source>
        <translation>Терапевт</translation>
    </message>
</context>
<context>
    <name>SlotsModel</name>
    <message>
        <location filename="../../console/views/booking.py" line="225"/>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="226"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="227"/>
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="228"/>
        <source>Specialty</source>
        <translation>Специальность</translation>
    </message>
</context>
<context>
    <name>Specialty</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="177"/>
        <source>therapist</source>
        <translation>терапевт</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="178"/>
        <source>pediatrician</source>
        <translation>педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="179"/>
        <source>cardiologist</source>
        <translation>кардиолог</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="180"/>
        <source>neurologist</source>
        <translation>невролог</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="115"/>
        <source>Therapist</source>
        <translation>Терапевт</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="116"/>
        <source>Pediatrician</source>
        <translation>Педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="117"/>
        <source>Cardiologist</source>
        <translation>Кардиолог</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="118"/>
        <source>Neurologist</source>
        <translation>Невролог</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="119"/>
        <source>Endocrinologist</source>
        <translation>Эндокринолог</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="120"/>
        <source>Gastroenterologist</source>
        <translation>Гастроэнтеролог</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="121"/>
        <source>Dermatologist</source>
        <translation>Дерматолог</translation>
    </message>
</context>
<context>
    <name>StaffBoard</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="187"/>
        <source>Medconsultant</source>
        <translation>Медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="192"/>
        <source>Duty doctor, {specialty}</source>
        <translation>Дежурный врач, {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="194"/>
        <source>Doctor, {specialty}</source>
        <translation>Врач, {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="190"/>
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="197"/>
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="198"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="395"/>
        <source>All roles</source>
        <translation>Все роли</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="396"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="397"/>
        <source>Doctors</source>
        <translation>Врачи</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="398"/>
        <source>Supervisors</source>
        <translation>Супервайзеры</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="416"/>
        <source>Show the role</source>
        <translation>Показать роль</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="421"/>
        <source>Show the state</source>
        <translation>Показать статус</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="422"/>
        <source>All states</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="430"/>
        <source>Staff board</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="448"/>
        <source>Move a waiting contact to…</source>
        <translation>Передать ожидающее обращение…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="451"/>
        <source>Offer a waiting contact to the selected staff member next</source>
        <translation>Предложить выбранному сотруднику ожидающее обращение следующим</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="453"/>
        <source>Set offline…</source>
        <translation>Перевести в «Не в сети»…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="456"/>
        <source>For a staff member who left without signing out</source>
        <translation>Для сотрудника, который ушёл, не выйдя из системы</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="460"/>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="520"/>
        <source>{shown} of {total}</source>
        <translation>{shown} из {total}</translation>
    </message>
</context>
<context>
    <name>StaffBoardModel</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="579"/>
        <source>Name</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="580"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="581"/>
        <source>State</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="582"/>
        <source>In state</source>
        <translation>В статусе</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="583"/>
        <source>Contact</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="584"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="585"/>
        <source>Handled today</source>
        <translation>Обработано сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="586"/>
        <source>Console</source>
        <translation>Консоль</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="662"/>
        <source>connected</source>
        <translation>подключена</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="663"/>
        <source>not connected</source>
        <translation>не подключена</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <location filename="../../console/views/workspace.py" line="458"/>
        <location filename="../../console/views/workspace.py" line="472"/>
        <source>Transfer to the duty doctor</source>
        <translation>Перевод на дежурного врача</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="464"/>
        <source>Suggested specialty</source>
        <translation>Рекомендуемая специальность</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="470"/>
        <source>Transfer</source>
        <translation>Перевести</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="503"/>
        <source>{queue}: waiting {waiting}, free doctors {free}</source>
        <translation>{queue}: в ожидании {waiting}, свободных врачей {free}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="513"/>
        <source>The specialty follows from the age.</source>
        <translation>Специальность определяется по возрасту.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="515"/>
        <source>{route} — the person is {age}</source>
        <translation>{route} — возраст пациента: {age}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="521"/>
        <source>Under one year old: the pediatrician can only advise; an in-person doctor is needed.</source>
        <translation>Младше одного года: педиатр может только дать рекомендации; нужен очный осмотр врача.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="538"/>
        <source>No contact.</source>
        <translation>Нет обращения.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="540"/>
        <source>Only a medconsultant transfers.</source>
        <translation>Перевод выполняет только медконсультант.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="542"/>
        <source>The contact is not in conversation.</source>
        <translation>С пациентом нет активного соединения.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="544"/>
        <source>Identify the person first.</source>
        <translation>Сначала идентифицируйте пациента.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="546"/>
        <source>The policy is not valid today: services cannot be given.</source>
        <translation>Полис сегодня не действует: услуги не могут быть оказаны.</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="550"/>
        <source>Both consents must be confirmed first.</source>
        <translation>Сначала пациент должен подтвердить оба согласия.</translation>
    </message>
</context>
<context>
    <name>VideoWidget</name>
    <message>
        <location filename="../../console/views/video.py" line="81"/>
        <source>No video</source>
        <translation>Нет видео</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="165"/>
        <source>Appointments</source>
        <extracomment>a cell&apos;s :class:`Level` as an int (tests, delegates) a cell&apos;s raw value (seconds, a ratio, a count; None when undefined), for sorting the queue groups in the wallboard&apos;s order (as console.stats.DEFAULT_GROUPS) what a level looks like: (background, text colour); OK keeps the view&apos;s own</extracomment>
        <translation>Запись к врачам</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="167"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="169"/>
        <source>Duty {specialty}</source>
        <translation>Дежурный {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="204"/>
        <source>{contact} · {channel} · ringing at {name}</source>
        <extracomment>the charts&apos; line colours, by queue group (others take the spares in turn) the charts redraw at most this often (ms) the charts&apos; y ranges reach this much over their data: the legend&apos;s row sits there</extracomment>
        <translation>{contact} · {channel} · предложено: {name}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="282"/>
        <source>Waiting now, by queue</source>
        <translation>Ожидают сейчас, по очередям</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="285"/>
        <source>Service level, last 15 minutes, %</source>
        <translation>Уровень сервиса за последние 15 минут, %</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="355"/>
        <source>goal {goal}</source>
        <translation>цель {goal}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="801"/>
        <source>medconsole — supervisor</source>
        <translation>medconsole — супервайзер</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="812"/>
        <source>Alert</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="813"/>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="816"/>
        <source>Hide the alert until the next queue crosses the threshold</source>
        <translation>Скрыть предупреждение до следующего превышения порога</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="825"/>
        <source>Waiting for the hub&apos;s numbers…</source>
        <translation>Ожидание данных от сервера…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="838"/>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="878"/>
        <source>Live</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="879"/>
        <location filename="../../console/views/wallboard.py" line="916"/>
        <source>Day&apos;s report</source>
        <translation>Отчёт за день</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="891"/>
        <source>Connection to the hub</source>
        <translation>Подключение к серверу</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="912"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="914"/>
        <source>Live board</source>
        <translation>Текущая обстановка</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="920"/>
        <source>Full screen</source>
        <translation>Во весь экран</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="954"/>
        <source>Service level goal: {goal} answered within {target} s · updated {time}</source>
        <translation>Целевой уровень сервиса: {goal} обращений принято за {target} с · обновлено в {time}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="971"/>
        <source>Online {n}</source>
        <translation>В сети {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="996"/>
        <source>Longest wait over {limit}: {queues}</source>
        <translation>Максимальное ожидание больше {limit}: {queues}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1033"/>
        <location filename="../../console/views/wallboard.py" line="1043"/>
        <source>Set offline</source>
        <translation>Перевести в «Не в сети»</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1034"/>
        <source>Set {name} offline?</source>
        <translation>Перевести сотрудника {name} в статус «Не в сети»?</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1036"/>
        <source>For a colleague who left without signing out. The change is recorded in the audit log.</source>
        <translation>Для сотрудника, который ушёл, не выйдя из системы. Изменение фиксируется в журнале аудита.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1064"/>
        <source>Contact {contact} is offered to {name} next.</source>
        <translation>Обращение {contact} будет предложено следующим сотруднику {name}.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1074"/>
        <source>{name} is set offline.</source>
        <translation>Сотрудник {name} переведён в статус «Не в сети».</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1079"/>
        <source>The report is saved to {path}.</source>
        <translation>Отчёт сохранён: {path}.</translation>
    </message>
</context>
<context>
    <name>Weekday</name>
    <message>
        <location filename="../../console/views/booking.py" line="146"/>
        <source>Mon</source>
        <translation>Пн</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="147"/>
        <source>Tue</source>
        <translation>Вт</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="148"/>
        <source>Wed</source>
        <translation>Ср</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="149"/>
        <source>Thu</source>
        <translation>Чт</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="150"/>
        <source>Fri</source>
        <translation>Пт</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="151"/>
        <source>Sat</source>
        <translation>Сб</translation>
    </message>
    <message>
        <location filename="../../console/views/booking.py" line="152"/>
        <source>Sun</source>
        <translation>Вс</translation>
    </message>
</context>
<context>
    <name>WrapUpPanel</name>
    <message>
        <location filename="../../console/views/workspace.py" line="561"/>
        <source>Completed</source>
        <translation>Завершено</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="562"/>
        <source>Closed: information given</source>
        <translation>Закрыто: информация предоставлена</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="563"/>
        <source>The patient left</source>
        <translation>Пациент отключился</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="564"/>
        <source>Not reached</source>
        <translation>Не удалось связаться</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="565"/>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="566"/>
        <source>Technical failure</source>
        <translation>Технический сбой</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="580"/>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="588"/>
        <location filename="../../console/views/workspace.py" line="604"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="593"/>
        <location filename="../../console/views/workspace.py" line="594"/>
        <location filename="../../console/views/workspace.py" line="605"/>
        <source>Comment</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="598"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="600"/>
        <source>Finish the wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="638"/>
        <source>Wrap-up: {t} left</source>
        <translation>Постобработка: осталось {t}</translation>
    </message>
    <message>
        <location filename="../../console/views/workspace.py" line="645"/>
        <source>Wrap-up: {t}</source>
        <translation>Постобработка: {t}</translation>
    </message>
</context>
</TS>
