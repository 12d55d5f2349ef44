<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
        <location filename="../../console/views/models.py" line="68"/>
        <source>Audio</source>
        <extracomment>the role a model puts its row&apos;s object (QueueEntry, PersonCard, ChatMessage) under seconds waited, as a number, for sorting and tests the roles QueueModel.data answers</extracomment>
        <translation>Аудиосвязь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="69"/>
        <source>Video</source>
        <translation>Видеосвязь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="70"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="71"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
</context>
<context>
    <name>ChatModel</name>
    <message>
        <location filename="../../console/views/models.py" line="437"/>
        <source>Double-click to open</source>
        <translation>Дважды щёлкните, чтобы открыть</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="444"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="446"/>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="448"/>
        <source>Staff</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="452"/>
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
        <location filename="../../console/views/app.py" line="163"/>
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
        <location filename="../../console/views/models.py" line="78"/>
        <source>Urgent</source>
        <translation>Срочное</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="79"/>
        <source>Appointment</source>
        <translation>По записи</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="80"/>
        <source>Follow-up</source>
        <translation>После консультации</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="81"/>
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
        <location filename="../../console/views/mainwindow.py" line="53"/>
        <location filename="../../console/views/mainwindow.py" line="279"/>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="54"/>
        <location filename="../../console/views/mainwindow.py" line="270"/>
        <source>Available</source>
        <translation>На линии</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="55"/>
        <source>Ringing</source>
        <translation>Входящий вызов</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="56"/>
        <source>In contact</source>
        <translation>Работа с обращением</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="57"/>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="58"/>
        <location filename="../../console/views/mainwindow.py" line="308"/>
        <source>Break</source>
        <translation>Перерыв</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="59"/>
        <source>Not responding</source>
        <translation>Не отвечает</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="65"/>
        <source>Hub: connected</source>
        <translation>Сервер: подключено</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="66"/>
        <source>Hub: connecting…</source>
        <translation>Сервер: подключение…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="68"/>
        <source>Hub: connection lost, reconnecting…</source>
        <translation>Сервер: связь потеряна, переподключение…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="71"/>
        <source>Hub: signed out</source>
        <translation>Сервер: сеанс завершён</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="72"/>
        <source>Hub: disconnected</source>
        <translation>Сервер: отключено</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="99"/>
        <source>medconsole — medconsultant</source>
        <translation>medconsole — медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="105"/>
        <location filename="../../console/views/mainwindow.py" line="122"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="158"/>
        <location filename="../../console/views/mainwindow.py" line="395"/>
        <source>No contact. Set yourself available to receive contacts (Ctrl+1).</source>
        <translation>Нет обращения. Чтобы получать обращения, перейдите в статус «На линии» (Ctrl+1).</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="177"/>
        <source>Your state</source>
        <translation>Ваш статус</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="181"/>
        <source>Connection to the hub</source>
        <translation>Подключение к серверу</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="215"/>
        <source>&amp;Contact</source>
        <translation>&amp;Обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="217"/>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="220"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="224"/>
        <source>Mute / unmute</source>
        <translation>Выключить / включить звук</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="227"/>
        <source>Hold / resume</source>
        <translation>Поставить на удержание / снять с удержания</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="230"/>
        <source>End contact</source>
        <translation>Завершить обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="234"/>
        <source>Find by policy</source>
        <translation>Найти по полису</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="238"/>
        <source>Send consents</source>
        <translation>Отправить согласия</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="244"/>
        <source>Transfer to the duty doctor</source>
        <translation>Перевести на дежурного врача</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="250"/>
        <source>Write to the chat</source>
        <translation>Написать в чат</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="256"/>
        <source>Send a file…</source>
        <translation>Отправить файл…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="262"/>
        <source>Finish wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="267"/>
        <source>&amp;State</source>
        <translation>&amp;Статус</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="275"/>
        <source>Break…</source>
        <translation>Перерыв…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="285"/>
        <source>&amp;Tools</source>
        <translation>С&amp;ервис</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="288"/>
        <source>Check camera and microphone…</source>
        <translation>Проверка камеры и микрофона…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="292"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="301"/>
        <source>Lunch</source>
        <translation>Обед</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="302"/>
        <source>Rest</source>
        <translation>Отдых</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="303"/>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="304"/>
        <source>Technical problem</source>
        <translation>Техническая проблема</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="309"/>
        <source>Reason for the break:</source>
        <translation>Причина перерыва:</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="350"/>
        <source>The contact went to the doctor.</source>
        <translation>Обращение передано врачу.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="351"/>
        <source>The patient left.</source>
        <translation>Пациент отключился.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="352"/>
        <source>The contact was returned to the queue.</source>
        <translation>Обращение возвращено в очередь.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="355"/>
        <source>A supervisor moved the contact.</source>
        <translation>Супервайзер перевёл обращение.</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="392"/>
        <source>Waiting for contacts…</source>
        <translation>Ожидание обращений…</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="404"/>
        <source>Hub: signed in on another console</source>
        <translation>Сервер: выполнен вход на другом рабочем месте</translation>
    </message>
    <message>
        <location filename="../../console/views/mainwindow.py" line="411"/>
        <source>{queue}: {waiting} waiting, longest {longest}</source>
        <translation>{queue}: в очереди {waiting}, макс. ожидание {longest}</translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <location filename="../../console/views/models.py" line="304"/>
        <source>No policy on record: services cannot be given.</source>
        <translation>Полиса нет: услуги оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="306"/>
        <source>The policy has expired: services cannot be given.</source>
        <translation>Срок действия полиса истёк: услуги оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="309"/>
        <source>The policy is not valid yet: services cannot be given yet.</source>
        <translation>Полис ещё не вступил в силу: услуги пока оказать нельзя.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="313"/>
        <source>Under 1 year: outside the program&apos;s routing rule (1-17 pediatrician, 18+ therapist); routed to the pediatrician.</source>
        <translation>Младше 1 года: вне правила маршрутизации программы (1–17 лет — педиатр, 18+ — терапевт); направляется к педиатру.</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="327"/>
        <source>Name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="328"/>
        <source>Born</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="329"/>
        <source>Age</source>
        <translation>Возраст</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="330"/>
        <source>Route</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="331"/>
        <source>Policy</source>
        <translation>Полис</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="332"/>
        <source>Relation</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="366"/>
        <source>Pediatrician (under 1!)</source>
        <translation>Педиатр (младше 1 года!)</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="373"/>
        <source>owner of the phone</source>
        <translation>владелец телефона</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="374"/>
        <source>represented</source>
        <translation>представляемое лицо</translation>
    </message>
</context>
<context>
    <name>MoveContactDialog</name>
    <message>
        <location filename="../../console/views/wallboard.py" line="619"/>
        <source>Move a waiting contact</source>
        <translation>Передать ожидающее обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="621"/>
        <source>The contact you choose is offered to {name} next. The move is recorded in the audit log.</source>
        <translation>Выбранное обращение будет предложено следующим сотруднику {name}. Передача фиксируется в журнале аудита.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="630"/>
        <source>Waiting contact</source>
        <translation>Ожидающее обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="637"/>
        <source>Contact id</source>
        <translation>Номер обращения</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="644"/>
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
    <name>Policy</name>
    <message>
        <location filename="../../console/views/models.py" line="110"/>
        <source>valid</source>
        <translation>действует</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="112"/>
        <source>EXPIRED</source>
        <translation>ИСТЁК</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="114"/>
        <source>NOT YET VALID</source>
        <translation>ЕЩЁ НЕ ДЕЙСТВУЕТ</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="115"/>
        <source>NO POLICY</source>
        <translation>НЕТ ПОЛИСА</translation>
    </message>
</context>
<context>
    <name>Queue</name>
    <message>
        <location filename="../../console/views/models.py" line="88"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="89"/>
        <source>Duty therapist</source>
        <translation>Дежурный терапевт</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="90"/>
        <source>Duty pediatrician</source>
        <translation>Дежурный педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="95"/>
        <source>Doctor&apos;s appointments</source>
        <translation>Приём врача по записи</translation>
    </message>
</context>
<context>
    <name>QueueBoardModel</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="242"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="243"/>
        <source>Waiting</source>
        <translation>Ожидают</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="244"/>
        <source>Longest
wait</source>
        <translation>Макс.
ожидание</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="245"/>
        <source>Free
staff</source>
        <translation>Свободно
сотрудников</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="246"/>
        <source>Offered
today</source>
        <translation>Поступило
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="247"/>
        <source>Service level
today</source>
        <translation>Уровень сервиса
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="248"/>
        <source>Service level
15 min</source>
        <translation>Уровень сервиса
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="249"/>
        <source>Abandoned
today</source>
        <translation>Потерянные
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="250"/>
        <source>Abandoned
15 min</source>
        <translation>Потерянные
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="251"/>
        <source>Avg. answer
today</source>
        <translation>Ср. ответ
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="252"/>
        <source>Avg. answer
15 min</source>
        <translation>Ср. ответ
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="253"/>
        <source>Avg. handle
today</source>
        <translation>Ср. обработка
сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="254"/>
        <source>Avg. handle
15 min</source>
        <translation>Ср. обработка
15 мин</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="257"/>
        <source>The queue group</source>
        <translation>Группа очередей</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="258"/>
        <source>Contacts waiting now</source>
        <translation>Обращений ожидает сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="259"/>
        <source>How long the longest-waiting contact has waited</source>
        <translation>Максимальное ожидание: сколько ждёт обращение, ожидающее дольше всех</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="260"/>
        <source>Staff available for this queue now</source>
        <translation>Сотрудников этой очереди на линии сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="261"/>
        <source>Contacts that entered the queue today</source>
        <translation>Обращений, поступивших в очередь сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="262"/>
        <source>Service level: answered within the target, of answered and abandoned after it</source>
        <translation>Уровень сервиса: доля принятых в пределах целевого времени среди принятых и потерянных после него</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="266"/>
        <source>Service level of the contacts of the last 15 minutes</source>
        <translation>Уровень сервиса по обращениям последних 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="269"/>
        <source>Abandoned share: abandoned of offered, today</source>
        <translation>Доля потерянных: потерянные от поступивших, сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="270"/>
        <source>Abandoned share over the last 15 minutes</source>
        <translation>Доля потерянных за последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="271"/>
        <source>Average speed of answer, today</source>
        <translation>Средняя скорость ответа, сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="272"/>
        <source>Average speed of answer, last 15 minutes</source>
        <translation>Средняя скорость ответа, последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="273"/>
        <source>Average handle time (talk and wrap-up), today</source>
        <translation>Среднее время обработки (разговор и постобработка), сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="274"/>
        <source>Average handle time, last 15 minutes</source>
        <translation>Среднее время обработки, последние 15 минут</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="415"/>
        <source>Longer than {limit}</source>
        <translation>Дольше {limit}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="418"/>
        <source>Below {limit} (the goal is {goal})</source>
        <translation>Ниже {limit} (цель — {goal})</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="422"/>
        <source>Over {limit}</source>
        <translation>Больше {limit}</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../console/views/models.py" line="152"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="153"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="154"/>
        <source>Waiting</source>
        <translation>Ожидание</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="155"/>
        <source>Person</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="156"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="196"/>
        <source>not identified</source>
        <translation>не идентифицирован</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="211"/>
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
        <location filename="../../console/views/boardmodels.py" line="760"/>
        <source>Interval</source>
        <translation>Интервал</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="761"/>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="762"/>
        <source>Offered</source>
        <translation>Поступило</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="763"/>
        <source>Answered</source>
        <translation>Принято</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="764"/>
        <source>Abandoned</source>
        <translation>Потеряно</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="765"/>
        <source>Service level</source>
        <translation>Уровень сервиса</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="766"/>
        <source>Avg. answer</source>
        <translation>Ср. ответ</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="767"/>
        <source>Avg. handle</source>
        <translation>Ср. обработка</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../console/views/wallboard.py" line="690"/>
        <source>Day of the report</source>
        <translation>День отчёта</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="694"/>
        <source>Load</source>
        <translation>Загрузить</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="698"/>
        <source>Queue of the report</source>
        <translation>Очередь в отчёте</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="699"/>
        <location filename="../../console/views/wallboard.py" line="759"/>
        <source>All queues</source>
        <translation>Все очереди</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="701"/>
        <source>Only intervals with contacts</source>
        <translation>Только интервалы с обращениями</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="704"/>
        <source>Export CSV…</source>
        <translation>Выгрузить в файл…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="709"/>
        <source>The day&apos;s report</source>
        <translation>Отчёт за день</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="718"/>
        <source>Choose a day and load its report.</source>
        <translation>Выберите день и загрузите отчёт.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="722"/>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="750"/>
        <source>Loading the report…</source>
        <translation>Загрузка отчёта…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="779"/>
        <source>{day}: offered {offered}, answered {answered}, abandoned {abandoned}, service level {level}, average handle time {aht}</source>
        <translation>{day}: поступило {offered}, принято {answered}, потеряно {abandoned}, уровень сервиса {level}, среднее время обработки {aht}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="796"/>
        <source>The report could not be loaded.</source>
        <translation>Не удалось загрузить отчёт.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="804"/>
        <source>Export the report</source>
        <translation>Выгрузка отчёта</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="806"/>
        <source>CSV files (*.csv)</source>
        <translation>Таблицы с разделителями (*.csv)</translation>
    </message>
</context>
<context>
    <name>Route</name>
    <message>
        <location filename="../../console/views/models.py" line="101"/>
        <source>Pediatrician</source>
        <translation>Педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/models.py" line="102"/>
        <source>Therapist</source>
        <translation>Терапевт</translation>
    </message>
</context>
<context>
    <name>Specialty</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="158"/>
        <source>therapist</source>
        <translation>терапевт</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="159"/>
        <source>pediatrician</source>
        <translation>педиатр</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="160"/>
        <source>cardiologist</source>
        <translation>кардиолог</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="161"/>
        <source>neurologist</source>
        <translation>невролог</translation>
    </message>
</context>
<context>
    <name>StaffBoard</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="168"/>
        <source>Medconsultant</source>
        <translation>Медконсультант</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="173"/>
        <source>Duty doctor, {specialty}</source>
        <translation>Дежурный врач, {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="175"/>
        <source>Doctor, {specialty}</source>
        <translation>Врач, {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="171"/>
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="178"/>
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="179"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="447"/>
        <source>All roles</source>
        <translation>Все роли</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="448"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="449"/>
        <source>Doctors</source>
        <translation>Врачи</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="450"/>
        <source>Supervisors</source>
        <translation>Супервайзеры</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="468"/>
        <source>Show the role</source>
        <translation>Показать роль</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="473"/>
        <source>Show the state</source>
        <translation>Показать статус</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="474"/>
        <source>All states</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="482"/>
        <source>Staff board</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="500"/>
        <source>Move a waiting contact to…</source>
        <translation>Передать ожидающее обращение…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="503"/>
        <source>Offer a waiting contact to the selected staff member next</source>
        <translation>Предложить выбранному сотруднику ожидающее обращение следующим</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="505"/>
        <source>Set offline…</source>
        <translation>Перевести в «Не в сети»…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="508"/>
        <source>For a staff member who left without signing out</source>
        <translation>Для сотрудника, который ушёл, не выйдя из системы</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="512"/>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="571"/>
        <source>{shown} of {total}</source>
        <translation>{shown} из {total}</translation>
    </message>
</context>
<context>
    <name>StaffBoardModel</name>
    <message>
        <location filename="../../console/views/boardmodels.py" line="560"/>
        <source>Name</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="561"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="562"/>
        <source>State</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="563"/>
        <source>In state</source>
        <translation>В статусе</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="564"/>
        <source>Contact</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="565"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="566"/>
        <source>Handled today</source>
        <translation>Обработано сегодня</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="567"/>
        <source>Console</source>
        <translation>Консоль</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="647"/>
        <source>connected</source>
        <translation>подключена</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="648"/>
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
        <location filename="../../console/views/boardmodels.py" line="146"/>
        <source>Appointments</source>
        <extracomment>a cell&apos;s :class:`Level` as an int (tests, delegates) a cell&apos;s raw value (seconds, a ratio, a count; None when undefined), for sorting the queue groups in the wallboard&apos;s order (as console.stats.DEFAULT_GROUPS) what a level looks like: (background, text colour); OK keeps the view&apos;s own</extracomment>
        <translation>Запись к врачам</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="148"/>
        <source>Medconsultants</source>
        <translation>Медконсультанты</translation>
    </message>
    <message>
        <location filename="../../console/views/boardmodels.py" line="150"/>
        <source>Duty {specialty}</source>
        <translation>Дежурный {specialty}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="256"/>
        <source>{contact} · {channel} · ringing at {name}</source>
        <extracomment>the charts&apos; line colours, by queue group (others take the spares in turn) the charts redraw at most this often (ms) the charts&apos; y ranges reach this much over their data: the legend&apos;s row sits there</extracomment>
        <translation>{contact} · {channel} · предложено: {name}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="334"/>
        <source>Waiting now, by queue</source>
        <translation>Ожидают сейчас, по очередям</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="337"/>
        <source>Service level, last 15 minutes, %</source>
        <translation>Уровень сервиса за последние 15 минут, %</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="407"/>
        <source>goal {goal}</source>
        <translation>цель {goal}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="852"/>
        <source>medconsole — supervisor</source>
        <translation>medconsole — супервайзер</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="863"/>
        <source>Alert</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="864"/>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="867"/>
        <source>Hide the alert until the next queue crosses the threshold</source>
        <translation>Скрыть предупреждение до следующего превышения порога</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="876"/>
        <source>Waiting for the hub&apos;s numbers…</source>
        <translation>Ожидание данных от сервера…</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="889"/>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="929"/>
        <source>Live</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="930"/>
        <location filename="../../console/views/wallboard.py" line="967"/>
        <source>Day&apos;s report</source>
        <translation>Отчёт за день</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="942"/>
        <source>Connection to the hub</source>
        <translation>Подключение к серверу</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="963"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="965"/>
        <source>Live board</source>
        <translation>Текущая обстановка</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="971"/>
        <source>Full screen</source>
        <translation>Во весь экран</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1005"/>
        <source>Service level goal: {goal} answered within {target} s · updated {time}</source>
        <translation>Целевой уровень сервиса: {goal} обращений принято за {target} с · обновлено в {time}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1022"/>
        <source>Online {n}</source>
        <translation>В сети {n}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1047"/>
        <source>Longest wait over {limit}: {queues}</source>
        <translation>Максимальное ожидание больше {limit}: {queues}</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1084"/>
        <location filename="../../console/views/wallboard.py" line="1094"/>
        <source>Set offline</source>
        <translation>Перевести в «Не в сети»</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1085"/>
        <source>Set {name} offline?</source>
        <translation>Перевести сотрудника {name} в статус «Не в сети»?</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1087"/>
        <source>For a colleague who left without signing out. The change is recorded in the audit log.</source>
        <translation>Для сотрудника, который ушёл, не выйдя из системы. Изменение фиксируется в журнале аудита.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1115"/>
        <source>Contact {contact} is offered to {name} next.</source>
        <translation>Обращение {contact} будет предложено следующим сотруднику {name}.</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1125"/>
        <source>{name} is set offline.</source>
        <translation>Сотрудник {name} переведён в статус «Не в сети».</translation>
    </message>
    <message>
        <location filename="../../console/views/wallboard.py" line="1130"/>
        <source>The report is saved to {path}.</source>
        <translation>Отчёт сохранён: {path}.</translation>
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
